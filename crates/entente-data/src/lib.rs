//! Loaders for Entente's bundled data and for users' input files.
