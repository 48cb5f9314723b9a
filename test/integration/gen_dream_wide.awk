# Generate a synthetic DREAM wide file for the loader's memory and speed
# checks: awk -v persons=N -v seed=S -f gen_dream_wide.awk
# Header PNR;KOM;y_1501;...;y_2152 (366 ISO weeks, 2015-W01..2021-W52, with
# the week-53 columns of 2015 and 2020); codes change in runs; empty field =
# no benefit; censoring (997/998/999) is absorbing.
BEGIN {
	srand(seed + 0)
	split("111 130 131 211 651 750 781 881 890", codes, " ")
	line = "PNR;KOM"
	for (y = 15; y <= 21; y++) {
		last = (y == 15 || y == 20) ? 53 : 52
		for (w = 1; w <= last; w++)
			line = line sprintf(";y_%02d%02d", y, w)
	}
	print line
	for (p = 1; p <= persons; p++) {
		line = p ";" (101 + int(rand() * 4) * 50)
		cur = ""
		for (k = 0; k < 366; k++) {
			if (cur != "997" && cur != "998" && cur != "999") {
				r = rand()
				if (r < 0.0005)
					cur = 996 + int(rand() * 3) + 1
				else if (r < 0.06)
					cur = (rand() < 0.4) ? "" : codes[1 + int(rand() * 9)]
			}
			line = line ";" cur
		}
		print line
	}
}
