"""Page objects: one class per page of the service, so a journey reads as what a user does
and a change of markup is fixed in one place."""
