"""The numeric core, NumPy only: specs and their examples, the activations and losses (one record each), the
network's structure, forward pass, gradients, training and the compiled step. Nothing here imports the layers above."""
