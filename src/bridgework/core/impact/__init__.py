"""The impact engine: what relationships produce, and what produced it.

Plain Python on plain data (ids, dates, dataclasses); the ``impact`` Django app
stores outcomes and plans and calls these functions. One topic per module:

``records``      Relationship, Interaction, Outcome: the inputs
``attribution``  credit for an outcome: declared, first/last touch, path-based Shapley
``roi``          return on impact per unit, monthly trends, give/get balance
``indicators``   leading indicators: new ties, reach into needed groups, introductions
``progress``     relationship-plan progress from the event stream
``evaluation``   matched difference-in-differences evaluation of a program

``docs/impact.md`` explains every method in plain words with worked examples.
"""
