"""The name index the register's search reads: one row per name a person is known by.

The columns are derived from the recorded name or alias (``matching.entry_fields``)
and rebuilt by ``services.index_nominal`` whenever either changes; beside them, a
dictionary of the distinct names (``NameWord``, ``NameWordVariant``). On
PostgreSQL a GIN trigram index on ``NameWord.word`` is added by migration 0002 (it
is not declared here because SQLite cannot build it).
"""

from django.db import models

from mappa.register.models import Alias, Nominal


class NameEntry(models.Model):
    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="name_entries")
    alias = models.ForeignKey(
        Alias, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The name as recorded, for showing which alias matched.
    display_name = models.CharField(max_length=260, blank=True)
    # Lower case, accents and punctuation removed, hyphens and spaces collapsed.
    given_norm = models.CharField(max_length=150, blank=True)
    family_norm = models.CharField(max_length=100, blank=True)
    full_norm = models.CharField(max_length=260, blank=True)
    # The family name without spaces: "Smith-Jones" and "Smith Jones" are "smithjones".
    family_compact = models.CharField(max_length=100, blank=True)
    # Sound-alike keys of the first given name and of the family name.
    given_key = models.CharField(max_length=30, blank=True)
    family_key = models.CharField(max_length=30, blank=True)
    # The first given name, and the first letter of its key.
    given_first = models.CharField(max_length=150, blank=True)
    given_initial = models.CharField(max_length=1, blank=True)

    class Meta:
        indexes = [
            # Candidates: a family name and given name that both sound alike; a family
            # name that sounds alike with a given name of the same initial (a typing
            # error in the given name); a given name that sounds alike with a family
            # name whose key starts alike.
            models.Index(
                fields=["family_key", "given_initial", "given_key"], name="search_family_key_idx"
            ),
            models.Index(fields=["given_key", "family_key"], name="search_given_key_idx"),
            # Candidates by spelling: names spelt like the query's words, which are
            # found in the dictionary below.
            models.Index(fields=["family_compact", "given_first"], name="search_words_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name


class NameWord(models.Model):
    """The dictionary of names on the register: every distinct first given name and
    family name (without spaces) in ``NameEntry``.

    A typing error that changes how a name sounds is looked up here, among a few
    thousand distinct names rather than every entry (``selectors._similar_words``).
    Words are added as names are indexed and never removed: a word nobody now has
    finds nobody.
    """

    word = models.CharField(max_length=150, unique=True)
    # The first letter of the word's key (``matching.initial``).
    initial = models.CharField(max_length=1, db_index=True)

    def __str__(self) -> str:
        return self.word


class NameWordVariant(models.Model):
    """Each dictionary word with one letter left out, and as it is ("symmetric
    delete", as in SymSpell): a typed word and a recorded one that differ by one
    letter left out, added, changed or swapped with its neighbour share a variant,
    so one B-tree lookup finds the names one typing error away."""

    variant = models.CharField(max_length=150)
    word = models.CharField(max_length=150)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["variant", "word"], name="search_variant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.variant} -> {self.word}"
