# Reference numbers for the comparison-group tests on MatchIt's lalonde.
#   Rscript make_reference.R            (from this directory)
# writes lalonde.csv (once: the data as MatchIt ships it, unit = row number)
# and the propensity references (files propensity_*.csv). Other reference
# sets go into their own blocks below or their own scripts (match_*,
# weight_*, balance_*); each reads lalonde.csv back, so every reference is
# computed from exactly the numbers the tests load.
suppressPackageStartupMessages(library(MatchIt))
options(digits = 17)
f17 <- function(x) sprintf("%.17g", x)

if (!file.exists("lalonde.csv")) {
  data("lalonde", package = "MatchIt")
  out <- data.frame(unit = seq_len(nrow(lalonde)), name = rownames(lalonde),
                    lalonde[, c("treat", "age", "educ", "race", "married",
                                "nodegree", "re74", "re75", "re78")])
  write.csv(out, "lalonde.csv", row.names = FALSE, quote = FALSE)
}
d <- read.csv("lalonde.csv", stringsAsFactors = FALSE)
d$race <- factor(d$race)            # levels sorted: black (reference), hispan, white

## propensity: MatchIt's standard model, glm(binomial) at its defaults
## (epsilon 1e-8: what MatchIt and users get) and iterated to convergence
## (epsilon 1e-15: the maximum likelihood estimate, whose vcov is the
## inverse Fisher information at the estimate, as statsmodels reports it;
## at the defaults glm's vcov uses the weights of the step before the last)
ps_formula <- treat ~ age + educ + race + married + nodegree + re74 + re75
term_name <- function(x) sub("^race", "race=", x)
fit <- glm(ps_formula, data = d, family = binomial())
fit_tight <- glm(ps_formula, data = d, family = binomial(),
                 control = glm.control(epsilon = 1e-15, maxit = 100))
# restarted at its own estimate, the last step's weights are those at the
# estimate (a fit from the default start still has them one step behind,
# about 1e-9 relative here)
fit_tight <- glm(ps_formula, data = d, family = binomial(), start = coef(fit_tight),
                 control = glm.control(epsilon = 1e-15, maxit = 100))
s <- summary(fit)$coefficients
st <- summary(fit_tight)$coefficients
write.csv(data.frame(term = term_name(rownames(s)),
                     estimate = f17(s[, 1]), std_error = f17(s[, 2]),
                     z_value = f17(s[, 3]), p_value = f17(s[, 4]),
                     estimate_converged = f17(st[, 1]), std_error_converged = f17(st[, 2]),
                     z_value_converged = f17(st[, 3]), p_value_converged = f17(st[, 4])),
          "propensity_glm.csv", row.names = FALSE, quote = FALSE)
write.csv(data.frame(unit = d$unit, score = f17(fitted(fit)),
                     linear_predictor = f17(fit$linear.predictors),
                     score_converged = f17(fitted(fit_tight)),
                     linear_predictor_converged = f17(fit_tight$linear.predictors)),
          "propensity_glm_scores.csv", row.names = FALSE, quote = FALSE)
# MatchIt's own distance is this glm's fitted values
m <- matchit(ps_formula, data = d, method = NULL, distance = "glm")
stopifnot(max(abs(m$distance - fitted(fit))) < 1e-15)
cat(sprintf("glm: %d iterations (converged: %d), deviance %.17g, R %s, MatchIt %s\n", fit$iter,
            fit_tight$iter, fit$deviance, getRversion(), packageVersion("MatchIt")))
