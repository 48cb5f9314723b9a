# Reference numbers for balance_table and ipw_weights (sql/matching_balance.sql,
# sql/matching_weighting.sql), computed with R MatchIt on the lalonde data.
#
#   Rscript balance_reference.R [lalonde.csv] [output directory]
#
# Reads the CSV the tests load (so both sides start from the same doubles),
# race as a factor, the unit id = row number. Writes:
#   balance_reference.csv  - MatchIt's balance statistics per case, term and
#                            sample (summary() for matchit objects; MatchIt's
#                            own bal1var() with the IPW weights, which is what
#                            summary() calls per covariate)
#   balance_weights.csv    - the matching weights of the cases (unit, case, weight)
#   weight_ipw_reference.csv - the propensity score of glm() and the weights
#                            computed here by hand from it (ATT, ATE, stabilised
#                            ATE, and with trimming at 0.1)
# Tested with R 4.2.2 and MatchIt 4.5.1 (Debian 12 r-cran-matchit).
suppressPackageStartupMessages(library(MatchIt))

args <- commandArgs(trailingOnly = TRUE)
csv <- if (length(args) >= 1) args[1] else "lalonde.csv"
out <- if (length(args) >= 2) args[2] else "."
d <- read.csv(csv)
if (!"id" %in% names(d)) d$id <- seq_len(nrow(d))
d$race <- factor(d$race)
rownames(d) <- d$id
f <- treat ~ age + educ + race + married + nodegree + re74 + re75
covs <- c("age", "educ", "race", "married", "nodegree", "re74", "re75")

# MatchIt's summary shows every factor level; the database expands factors
# as the design (the first level is the reference and has no term), so the
# term names are translated and raceblack is left out.
term_name <- function(x) sub("^race", "race=", x)
keep_terms <- function(x) x[x != "raceblack" & x != "distance"]

fmt <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

rows <- list()
add_rows <- function(case, sample, tab, nn_t, nn_c, ess_t, ess_c) {
  terms <- keep_terms(rownames(tab))
  for (tm in terms) {
    r <- tab[tm, ]
    rows[[length(rows) + 1]] <<- data.frame(
      case = case, term = term_name(tm), sample = sample,
      mean_treated = fmt(r[["Means Treated"]]), mean_control = fmt(r[["Means Control"]]),
      std_mean_diff = fmt(r[["Std. Mean Diff."]]), variance_ratio = fmt(r[["Var. Ratio"]]),
      ecdf_mean = fmt(r[["eCDF Mean"]]), ecdf_max = fmt(r[["eCDF Max"]]),
      n_treated = nn_t, n_control = nn_c, ess_treated = fmt(ess_t), ess_control = fmt(ess_c))
  }
}

# summary() of a matchit object: the unadjusted and the matched sample
from_summary <- function(case, m) {
  s <- summary(m, un = TRUE, pair.dist = FALSE)
  nn <- s$nn
  add_rows(case, "unadjusted", s$sum.all, nn["All", "Treated"], nn["All", "Control"],
           nn["All (ESS)", "Treated"], nn["All (ESS)", "Control"])
  if (!is.null(s$sum.matched))
    add_rows(case, "adjusted", s$sum.matched, nn["Matched", "Treated"], nn["Matched", "Control"],
             nn["Matched (ESS)", "Treated"], nn["Matched (ESS)", "Control"])
}

weights <- list()

# 1. no matching (ATT): the unadjusted table
m_none <- matchit(f, data = d, method = NULL)
from_summary("none_att", m_none)

# 2. no matching, ATE: pooled SD
m_none_ate <- matchit(f, data = d, method = NULL, estimand = "ATE")
from_summary("none_ate", m_none_ate)

# 3. MatchIt's defaults: 1:1 nearest neighbour on the glm propensity score
m_near <- matchit(f, data = d, method = "nearest")
from_summary("nearest", m_near)
weights[["nearest"]] <- m_near$weights

# 4. 2:1 nearest neighbour with replacement (weights other than 0/1: ESS)
m_repl <- matchit(f, data = d, method = "nearest", ratio = 2, replace = TRUE)
from_summary("nearest_2_replace", m_repl)
weights[["nearest_2_replace"]] <- m_repl$weights

# IPW weights by hand from the glm score (the same model as MatchIt's distance)
ps <- fitted(glm(f, data = d, family = binomial()))
tr <- d$treat
w_att <- ifelse(tr == 1, 1, ps / (1 - ps))
w_ate <- ifelse(tr == 1, 1 / ps, 1 / (1 - ps))
w_ate_stab <- w_ate * ifelse(tr == 1, mean(tr), 1 - mean(tr))
kept <- ps >= 0.1 & ps <= 0.9
share <- mean(tr[kept])
w_ate_trim_stab <- ifelse(kept, w_ate * ifelse(tr == 1, share, 1 - share), NA)
w_att_trim <- ifelse(kept, w_att, NA)
write.csv(data.frame(unit = d$id, treat = tr, ps = fmt(ps), w_att = fmt(w_att), w_ate = fmt(w_ate),
                     w_ate_stab = fmt(w_ate_stab), w_att_trim = fmt(w_att_trim),
                     w_ate_trim_stab = fmt(w_ate_trim_stab)),
          file.path(out, "weight_ipw_reference.csv"), row.names = FALSE, quote = FALSE)

# 5./6. balance with IPW weights: MatchIt's bal1var (what summary() runs per
# covariate) on MatchIt's covariate matrix, and its nn() for the sizes
X <- MatchIt:::get.covs.matrix(f, data = d)
bal <- function(case, w, denom) {
  tab <- t(sapply(colnames(X), function(j)
    MatchIt:::bal1var(X[, j], tt = tr, ww = NULL, s.weights = rep(1, length(tr)),
                      standardize = TRUE, s.d.denom = denom)))
  nn <- MatchIt:::nn(tr, rep(1, length(tr)))
  add_rows(case, "unadjusted", tab, nn["All", "Treated"], nn["All", "Control"],
           nn["All (ESS)", "Treated"], nn["All (ESS)", "Control"])
  tab <- t(sapply(colnames(X), function(j)
    MatchIt:::bal1var(X[, j], tt = tr, ww = w, s.weights = rep(1, length(tr)),
                      standardize = TRUE, s.d.denom = denom, compute.pair.dist = FALSE)))
  nn <- MatchIt:::nn(tr, w)
  add_rows(case, "adjusted", tab, nn["Matched", "Treated"], nn["Matched", "Control"],
           nn["Matched (ESS)", "Treated"], nn["Matched (ESS)", "Control"])
}
bal("ipw_att", w_att, "treated")
bal("ipw_ate", w_ate, "pooled")

write.csv(do.call(rbind, rows), file.path(out, "balance_reference.csv"), row.names = FALSE, quote = FALSE)
wout <- do.call(rbind, lapply(names(weights), function(k)
  data.frame(unit = d$id, case = k, weight = fmt(weights[[k]]))))
write.csv(wout, file.path(out, "balance_weights.csv"), row.names = FALSE, quote = FALSE)
cat("MatchIt", as.character(packageVersion("MatchIt")), "R", R.version$major, R.version$minor, "\n")
