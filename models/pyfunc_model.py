"""Entry point MLflow loads the pyfunc from (models-from-code): no pickled Python objects."""

import mlflow.models

from models.pyfunc import RescueModel

mlflow.models.set_model(RescueModel())
