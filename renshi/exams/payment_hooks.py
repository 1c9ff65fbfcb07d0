"""Registers applications as payers with the payments app."""
