"""The catalog as code: schema, checks, the version in effect at an instant, pricing rules."""
