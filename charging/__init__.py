"""Charging advice: referrals (MG3), the CPS queue, decisions and action plans."""
