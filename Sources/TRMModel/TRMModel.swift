/// The Tiny Recursive Model engine: configuration, layers, recursion, ACT, losses and optimizers.
public enum TRMEngine {}
