"""criteo"""
