"""The explanations, read from the core and never restating it: the chain rule in SymPy, the walkthrough, the
backward steps, exercise checks and their slips, cost counts, the notes' own procedures, and the Network learners use."""
