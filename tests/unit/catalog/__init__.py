"""Tests of the region catalog data, its loader and `residency regions`."""
