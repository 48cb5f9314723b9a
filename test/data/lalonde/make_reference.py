#!/usr/bin/python3
"""Reference numbers from statsmodels for the comparison-group tests.

    /usr/bin/python3 make_reference.py      (from this directory)

Reads lalonde.csv (written by make_reference.R from MatchIt's lalonde) and
writes propensity_statsmodels.csv (Logit coefficients, standard errors from
the inverse Hessian at the estimate, z and p) and
propensity_statsmodels_scores.csv (fitted scores and linear predictors per
unit) for MatchIt's standard model
treat ~ age + educ + race + married + nodegree + re74 + re75,
race as indicators of hispan and white (black the reference level).
Other reference sets may be added as functions below.
"""
import csv

import numpy as np
import statsmodels
import statsmodels.api as sm


def read_lalonde(path="lalonde.csv"):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def g17(x):
    return "%.17g" % x


def propensity(rows):
    terms = ["(Intercept)", "age", "educ", "race=hispan", "race=white",
             "married", "nodegree", "re74", "re75"]
    X = np.array([[1.0, float(r["age"]), float(r["educ"]),
                   float(r["race"] == "hispan"), float(r["race"] == "white"),
                   float(r["married"]), float(r["nodegree"]),
                   float(r["re74"]), float(r["re75"])] for r in rows])
    y = np.array([float(r["treat"]) for r in rows])
    # Newton with a tight tolerance: the maximum likelihood estimate
    res = sm.Logit(y, X).fit(method="newton", tol=1e-14, maxiter=100, disp=False)
    with open("propensity_statsmodels.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["term", "estimate", "std_error", "z_value", "p_value"])
        for t, b, se, z, p in zip(terms, res.params, res.bse, res.tvalues, res.pvalues):
            w.writerow([t, g17(b), g17(se), g17(z), g17(p)])
    lp = X @ res.params
    with open("propensity_statsmodels_scores.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["unit", "score", "linear_predictor"])
        for r, s, e in zip(rows, res.predict(X), lp):
            w.writerow([r["unit"], g17(s), g17(e)])
    print("statsmodels %s: converged %s, %d iterations, llf %.17g"
          % (statsmodels.__version__, res.mle_retvals["converged"],
             res.mle_retvals["iterations"], res.llf))


if __name__ == "__main__":
    propensity(read_lalonde())
