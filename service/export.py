"""Recorded outcomes back into a portfolio that `rescue train` reads: the retraining loop."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from service.db import Database
from service.repository import business_tables
from service.tables import recorded_outcomes


def training_tables(db: Database) -> dict[str, pd.DataFrame]:
    """Every business with a recorded distress outcome, its rows, and an `outcomes` table."""
    with db.engine.connect() as connection:
        rows = connection.execute(
            select(
                recorded_outcomes.c.business_id,
                recorded_outcomes.c.as_of,
                recorded_outcomes.c.distress_12m,
            ).where(recorded_outcomes.c.distress_12m.is_not(None))
        ).all()
        outcomes = pd.DataFrame(rows, columns=["business_id", "as_of", "distress_12m"])
        outcomes = outcomes.drop_duplicates(["business_id", "as_of"], keep="last")
        tables = business_tables(connection, outcomes["business_id"].unique().tolist())
    tables = {name: frame for name, frame in tables.items() if not frame.empty}
    outcomes["distress_12m"] = outcomes["distress_12m"].map({True: "true", False: "false"})
    tables["outcomes"] = outcomes.sort_values(["as_of", "business_id"]).reset_index(drop=True)
    return tables
