"""The two theory engines, pure numpy (no Mesa): landscape theory of alliances and the expected-utility model
of bargaining."""
