"""The campus as a graph: which devices, links and controllers each service depends on.

Built from what netops already holds (configurations, the neighbour tables the
backup stores, the inventory's AP cabling and, when given, a containerlab
topology); answers "what stops working if this fails?" (:mod:`.whatif`) and
lists the single points of failure (:mod:`.audit`). The redundancy rules of the
policy language (:mod:`netops.policy.redundancy`) read the same model.
"""
