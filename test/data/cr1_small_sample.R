# CR1 small-sample conventions of the 2x2 DiD, checked with base R only
# (lm and a hand-written cluster sandwich; no sandwich package), run once
# by hand (Rscript test/data/cr1_small_sample.R from the repository root);
# its output is recorded in test/data/card_krueger_reference.md and used
# by sql/did.sql. Not part of make test.
cr <- function(fit, cl) {
	X <- model.matrix(fit); e <- residuals(fit); w <- weights(fit)
	if (is.null(w)) w <- rep(1, length(e))
	bread <- solve(crossprod(X * sqrt(w)))
	S <- rowsum(X * (w * e), cl)
	bread %*% crossprod(S) %*% bread
}
show <- function(label, fit, cl, coef) {
	V0 <- cr(fit, cl); N <- nobs(fit); K <- length(coef(fit)); G <- length(unique(cl))
	se0 <- sqrt(V0[coef, coef])
	cat(sprintf("%s: N=%d K=%d G=%d estimate=%.17g\n", label, N, K, G, coef(fit)[coef]))
	cat(sprintf("  CR0 %.17g\n  CR1 stata G/(G-1)(N-1)/(N-K) %.17g\n  CR1 G/(G-1) %.17g\n",
		se0, se0 * sqrt(G / (G - 1) * (N - 1) / (N - K)), se0 * sqrt(G / (G - 1))))
}
ck <- read.csv("test/data/card_krueger.csv")
both <- with(ck, tapply(!is.na(fte), store, all))
b <- ck[ck$store %in% as.integer(names(both)[both]), ]
show("Card-Krueger balanced, long fte ~ nj * post", lm(fte ~ nj * post, data = b), b$store, "nj:post")
cat(sprintf("qt(0.975, 383) = %.17g\n", qt(0.975, 383)))
k6 <- read.csv("test/data/did_cases/k6_2x2.csv")
long <- rbind(data.frame(k6, post = 0, y = k6$y_pre), data.frame(k6, post = 1, y = k6$y_post))
show("k6 long y ~ treated * post", lm(y ~ treated * post, data = long), long$cluster, "treated:post")
show("k6 long y ~ (treated + x1 + x2) * post", lm(y ~ (treated + x1 + x2) * post, data = long), long$cluster, "treated:post")
show("k6 long weighted y ~ treated * post", lm(y ~ treated * post, data = long, weights = w), long$cluster, "treated:post")
show("k6 change dy ~ treated (person level)", lm(I(y_post - y_pre) ~ treated, data = k6), k6$cluster, "treated")
