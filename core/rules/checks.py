"""Import every rule module once, in report order (each registers its rules)."""

from . import identity, reserves, control, distribution, price, actions, redemption, quality  # noqa: F401, I001
