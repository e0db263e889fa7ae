"""Restructuring and refinancing plans: their arithmetic, creditors, sources of new money
and the programme rules they answer to. Imports the ML core of `models`, never the advice."""
