# Reference matched sets for sql/matching_nearest.sql and sql/matching_cem.sql:
# R MatchIt on its lalonde data (unit = row number 1..614, as MatchIt's row
# names). Run from this directory:  Rscript match_reference.R
# Writes match_scores.csv (the glm propensity score of every unit, 17
# significant digits) and match_reference.csv (case, unit, subclass, weight:
# one row per matched unit and case; subclass NA with replacement).
suppressPackageStartupMessages(library(MatchIt))
data("lalonde", package = "MatchIt")
lalonde$unit <- seq_len(nrow(lalonde))
rownames(lalonde) <- lalonde$unit
f <- treat ~ age + educ + race + married + nodegree + re74 + re75

# Debian's binary of MatchIt 4.5.1 compares distances with the integer abs()
# (MatchIt issue #163, "Caliper not working as intended on versions 4.5.1 -
# 4.5.3"; fixed builds use the floating-point one): the caliper is then
# |difference| truncated to a whole number, and the left/right choice almost
# always takes the left. If that build is detected (a matched pair farther
# apart than the caliper), its kernel nn_matchC_vec is replaced by the R
# function below, written here from MatchIt's documented rules with the
# floating-point abs; everything else (treated order, caliper width in SDs,
# exact strata, weights, subclasses) stays MatchIt's own R code.
nn_vec_r <- function(treat_, ord_, ratio_, discarded_, reuse_max, distance_, exact_ = NULL,
                     caliper_dist_ = NULL, caliper_covs_ = NULL, caliper_covs_mat_ = NULL,
                     antiexact_covs_ = NULL, unit_id_ = NULL, disl_prog = FALSE) {
  n <- length(treat_)
  o <- sort.list(distance_)                      # stable: ties in data order
  tr <- treat_[o]; d <- distance_[o]
  ex <- if (is.null(exact_)) rep(0L, n) else as.integer(exact_)[o]
  cal <- if (is.null(caliper_dist_)) Inf else as.numeric(caliper_dist_)
  pos1 <- match(which(treat_ == 1), o)           # treated (data order) -> sorted position
  n1 <- length(pos1)
  ratio <- rep_len(ratio_, n1)
  mm <- matrix(NA_integer_, n1, max(ratio), dimnames = list(names(treat_)[treat_ == 1], NULL))
  times <- integer(n)
  can <- tr == 0 & !discarded_[o]
  look <- function(ii, step, row) {
    k <- ii + step
    while (k >= 1 && k <= n) {
      if (tr[k] == 1 || !can[k] || o[k] %in% row) { k <- k + step; next }
      if (abs(d[ii] - d[k]) > cal) return(NA)
      if (ex[ii] != ex[k]) { k <- k + step; next }
      return(k)
    }
    NA
  }
  for (r in seq_len(max(ratio))) for (i in seq_len(n1)) {
    row <- ord_[i]; ii <- pos1[row]
    if (ratio[row] < r) next
    prev <- mm[row, seq_len(r - 1)]
    kl <- look(ii, -1, prev); kr <- look(ii, 1, prev)
    k <- if (!is.na(kl) && !is.na(kr)) {
      if (abs(d[kl] - d[ii]) <= abs(d[kr] - d[ii])) kl else kr
    } else if (!is.na(kl)) kl else kr
    if (is.na(k)) next
    mm[row, r] <- o[k]
    times[k] <- times[k] + 1L
    if (times[k] >= reuse_max) can[k] <- FALSE
  }
  mm
}
chk <- matchit(f, data = lalonde, method = "nearest", distance = "glm", link = "linear.logit",
               caliper = 0.2)
pairs <- !is.na(chk$match.matrix[, 1])
gap <- abs(chk$distance[match(rownames(chk$match.matrix)[pairs], rownames(lalonde))] -
             chk$distance[chk$match.matrix[pairs, 1]])
if (max(gap) > 0.2 * sd(chk$distance)) {
  cat("MatchIt's compiled nn_matchC_vec uses an integer abs(): using nn_vec_r\n")
  assignInNamespace("nn_matchC_vec", nn_vec_r, "MatchIt")
}

fit <- glm(f, data = lalonde, family = binomial())
write.csv(data.frame(unit = lalonde$unit, score = sprintf("%.17g", fitted(fit))),
          "match_scores.csv", row.names = FALSE, quote = FALSE)

cases <- list(
  # 1:1 without replacement on the logit, caliper 0.2 SD, largest first
  nn_logit_cal = matchit(f, data = lalonde, method = "nearest", distance = "glm",
                         link = "linear.logit", caliper = 0.2),
  # the same with replacement
  nn_logit_cal_replace = matchit(f, data = lalonde, method = "nearest", distance = "glm",
                                 link = "linear.logit", caliper = 0.2, replace = TRUE),
  # 2:1 without replacement
  nn_logit_cal_ratio2 = matchit(f, data = lalonde, method = "nearest", distance = "glm",
                                link = "linear.logit", caliper = 0.2, ratio = 2),
  # 3:1 with replacement, no caliper
  nn_logit_ratio3_replace = matchit(f, data = lalonde, method = "nearest", distance = "glm",
                                    link = "linear.logit", ratio = 3, replace = TRUE),
  # MatchIt's defaults: the plain score, no caliper
  nn_score = matchit(f, data = lalonde, method = "nearest", distance = "glm"),
  # smallest first
  nn_logit_cal_smallest = matchit(f, data = lalonde, method = "nearest", distance = "glm",
                                  link = "linear.logit", caliper = 0.2, m.order = "smallest"),
  # exact on a factor
  nn_logit_cal_exact_race = matchit(f, data = lalonde, method = "nearest", distance = "glm",
                                    link = "linear.logit", caliper = 0.2, exact = ~race),
  # coarsened exact matching: Sturges bins
  cem_default = matchit(treat ~ age + educ + race + married + nodegree + re74, data = lalonde,
                        method = "cem"),
  # user cut points (vectors of more than one value are cut points in MatchIt)
  cem_cutpoints = matchit(treat ~ age + educ + race + married + nodegree + re74, data = lalonde,
                          method = "cem",
                          cutpoints = list(age = c(20, 25, 30, 40), educ = c(9, 12),
                                           re74 = c(1, 5000, 15000)))
)

out <- do.call(rbind, lapply(names(cases), function(k) {
  m <- cases[[k]]
  keep <- m$weights > 0
  data.frame(case = k, unit = lalonde$unit[keep],
             subclass = if (is.null(m$subclass)) NA else as.integer(as.character(m$subclass[keep])),
             weight = sprintf("%.17g", m$weights[keep]))
}))
write.csv(out, "match_reference.csv", row.names = FALSE, quote = FALSE, na = "")
cat(sprintf("MatchIt %s, R %s\n", packageVersion("MatchIt"), getRversion()))
print(table(out$case))
