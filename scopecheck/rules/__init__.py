"""Rule packs: loading, validation, lexicons, phrase compilation and the combined matcher."""
