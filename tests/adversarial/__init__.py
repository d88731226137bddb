"""Adversarial tests of issue 19: every reproduction, and seeded slices of
the large property runs (``python -m tests.adversarial.run_large`` runs the
full ones)."""
