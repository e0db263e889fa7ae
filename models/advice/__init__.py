"""Advice on a case: the paths open to it, their ranking, triage and the rationale in both
languages, built on the plans. Imports `models.plans` and the ML core; neither imports it."""
