"""Procurement services, one module per stage: ``purchases`` (create, eligibility, budget,
requirements, routing), ``suppliers`` (suppliers, evidence, bids, qualification), ``evaluation``
(panel, declarations, scores, award), ``contracts`` (contract, publication, filing, supplements),
``aftercare`` (monitoring, acceptance, payment, renewal), ``reminders``, ``thresholds``."""
