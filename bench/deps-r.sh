#!/bin/sh
# make deps-r: what bench/vs_r_did.sh needs to time R's did::att_gt beside
# socialinvest's att_gt: R (r-base-core), /usr/bin/time (time), and the
# Debian packages of did's dependencies that Debian has. did itself (and
# BMisc, DRDID where Debian lacks them) come from CRAN, which needs a
# network connection: this script says how when they are missing. As root
# it installs the Debian packages; otherwise it prints the apt-get line.
set -e
PKGS="r-base-core time r-cran-data.table r-cran-ggplot2 r-cran-ggpubr r-cran-tidyr r-cran-matrix r-cran-pbapply r-cran-generics r-cran-dreamerr r-cran-bmisc r-cran-drdid r-cran-did"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" && continue
	# only what this Debian release has (did, BMisc, DRDID may not be there)
	apt-cache show "$p" >/dev/null 2>&1 && missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "socialinvest: for the R comparison run as root:  apt-get update && apt-get install -y$missing" >&2
		exit 1
	fi
	echo "socialinvest: installing Debian packages:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
need=$(Rscript -e 'p <- c("did", "DRDID", "BMisc", "data.table"); cat(p[!vapply(p, requireNamespace, TRUE, quietly = TRUE)])')
if [ -n "$need" ]; then
	echo "socialinvest: R packages missing: $need (not in Debian). With a network connection to CRAN, as root:"
	echo "  Rscript -e 'install.packages(c(\"$(echo "$need" | sed 's/ /", "/g')\"))'"
	echo "bench/vs_r_did.sh skips the R comparison until then."
	exit 0
fi
echo "socialinvest: R $(Rscript -e 'cat(format(getRversion()))') with did $(Rscript -e 'cat(format(packageVersion("did")))'): bench/vs_r_did.sh will compare."
