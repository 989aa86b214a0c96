"""Unit tests of small, pure helpers of the generator."""
