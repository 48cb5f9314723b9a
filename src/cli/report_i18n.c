/*
 * report_i18n.c — the report's labels in Danish and English (--lang).
 *
 * Labels only; no HTML here.
 */
#include <string.h>

#include "report.h"

typedef struct Label
{
	const char *key;
	const char *da;
	const char *en;
} Label;

static const Label labels[] = {
	{"title", "Monitorering af mentor- og beskæftigelsesindsatser", "Monitoring of mentoring and employment programmes"},
	{"schema", "Register (skema)", "Register (schema)"},
	{"generated", "Dannet", "Generated"},
	{"persons", "Personer", "Persons"},
	{"courses", "Forløb", "Courses"},
	{"municipalities", "Kommuner", "Municipalities"},
	{"data_to", "Data til og med uge", "Data up to the week of"},
	{"no_rows", "Ingen rækker i", "No rows in"},
	{"suppressed", "diskretioneret", "suppressed"},
	{"rows", "rækker", "rows"},
	{"yes", "ja", "yes"},
	{"no", "nej", "no"},
	{"contents", "Indhold", "Contents"},

	{"sec_trajectory", "Selvforsørgelse omkring forløbets start", "Self-sufficiency around the course start"},
	{"txt_trajectory", "Andel selvforsørgende (streng definition) i hver uge fra 26 uger før til 52 uger efter forløbets startuge, forløb med og uden mentor, med 95 %-konfidensbånd (Wilson). Kun uger hvor personen er observeret tæller.",
	"Share self-supporting (strict) in each week from 26 weeks before to 52 weeks after the course's start week, courses with and without a mentor, with 95% confidence bands (Wilson). Only weeks in which the person is observed count."},
	{"weeks_since_start", "Uger siden start", "Weeks since start"},
	{"share_selfsupporting", "Andel selvforsørgende", "Share self-supporting"},
	{"mentored", "Med mentor", "With mentor"},
	{"not_mentored", "Uden mentor", "Without mentor"},

	{"sec_event", "Effekt af mentor: event study", "Effect of mentoring: event study"},
	{"txt_event", "Gennemsnitlig effekt på kvartalets selvforsørgelsesandel efter antal kvartaler fra mentorstart (Callaway & Sant'Anna, aldrig-mentorerede som kontrol, balanceret panel). Mørke streger: punktvise 95 %-intervaller; lyse: ensartede (simultane) 95 %-bånd fra bootstrap.",
	"Average effect on the quarter's self-sufficiency share by quarters since the mentor start (Callaway & Sant'Anna, never-mentored controls, balanced panel). Dark bars: pointwise 95% intervals; light: uniform (simultaneous) 95% bands from the bootstrap."},
	{"event_time", "Kvartaler siden mentorstart", "Quarters since mentor start"},
	{"effect", "Effekt", "Effect"},
	{"pointwise", "Punktvis 95 %", "Pointwise 95%"},
	{"uniform", "Ensartet 95 %", "Uniform 95%"},

	{"sec_course", "Forløbenes status 6 og 12 måneder efter start", "Course status 6 and 12 months after the start"},
	{"txt_course", "Andel selvforsørgende blandt forløb observeret ved horisonten, med 95 %-interval (Wilson); celler under 5 personer er diskretioneret.",
	"Share self-supporting among courses observed at the horizon, with 95% interval (Wilson); cells below 5 persons are suppressed."},
	{"municipality", "Kommune", "Municipality"},
	{"programme", "Indsats", "Programme"},
	{"horizon_months", "Måneder", "Months"},
	{"n_courses", "Forløb", "Courses"},
	{"n_observed", "Observeret", "Observed"},
	{"n_censored", "Censureret", "Censored"},
	{"n_self_supporting", "Selvforsørgende", "Self-supporting"},
	{"estimate", "Andel", "Share"},
	{"conf_low", "Nedre", "Lower"},
	{"conf_high", "Øvre", "Upper"},
	{"durable_estimate", "Varigt", "Durable"},
	{"ended_early_share", "Afbrudt", "Ended early"},

	{"sec_arrival", "Selvforsørgelse 12 måneder efter ankomst", "Self-sufficiency 12 months after arrival"},
	{"txt_arrival", "Pr. kommune og ankomstår, sammenlignet med alle andre kommuner samme år; udvandrede og døde tælles for sig.",
	"Per municipality and arrival year, compared with all other municipalities in the same year; emigrated and dead counted separately."},
	{"arrival_year", "Ankomstår", "Arrival year"},
	{"n_persons", "Personer", "Persons"},
	{"n_emigrated", "Udvandret", "Emigrated"},
	{"n_dead", "Døde", "Dead"},
	{"others_estimate", "Øvrige kommuner", "Other municipalities"},
	{"difference", "Forskel", "Difference"},

	{"sec_funnel", "Tragtplot: kommunerne mod landsniveauet", "Funnel plot: municipalities against the national rate"},
	{"txt_funnel", "Justeret andel selvforsørgende 12 måneder efter ankomst (landsniveau + observeret − forventet ud fra baggrund) mod antal personer; tragtgrænser 95 % og 99,8 % om landsniveauet (Spiegelhalter 2005).",
	"Adjusted share self-supporting 12 months after arrival (national rate + observed − expected from background) against the number of persons; funnel limits 95% and 99.8% around the national rate (Spiegelhalter 2005)."},
	{"sec_caterpillar", "Rangordning med usikkerhed", "Ranking with uncertainty"},
	{"txt_caterpillar", "Kommunerne ordnet efter justeret andel med 95 %-interval; lodret linje: landsniveau.",
	"Municipalities ordered by adjusted share with 95% interval; vertical line: national rate."},
	{"national", "Landsniveau", "National"},
	{"funnel95", "Tragt 95 %", "Funnel 95%"},
	{"funnel998", "Tragt 99,8 %", "Funnel 99.8%"},
	{"adjusted", "Justeret andel", "Adjusted share"},
	{"observed", "Observeret", "Observed"},
	{"expected", "Forventet", "Expected"},
	{"raw_estimate", "Rå andel", "Raw share"},
	{"rank", "Rang", "Rank"},
	{"position", "Placering", "Position"},
	{"good_result", "Godt resultat", "Good result"},

	{"sec_goals", "Mål og resultater", "Goals and results"},
	{"txt_goals", "Hvert mål med den målte værdi, dens 95 %-interval og vurdering: nået, ikke nået, kan ikke afgøres (intervallet indeholder målet), endnu ikke målt. Frosne målinger er gemt da de blev foretaget.",
	"Each goal with the measured value, its 95% interval and verdict: met, not met, cannot tell (the interval contains the target), not yet measured. Frozen measurements are stored as they were made."},
	{"indicator", "Indikator", "Indicator"},
	{"measured_at", "Måling", "Measurement"},
	{"measured_on", "Dato", "Date"},
	{"target", "Mål", "Target"},
	{"n", "n", "n"},
	{"verdict", "Vurdering", "Verdict"},
	{"frozen", "Frosset", "Frozen"},
	{"verdict_met", "nået", "met"},
	{"verdict_not_met", "ikke nået", "not met"},
	{"verdict_cannot_tell", "kan ikke afgøres", "cannot tell"},
	{"verdict_not_yet", "endnu ikke målt", "not yet"},
	{"verdict_suppressed", "diskretioneret", "suppressed"},
	{"sec_frozen", "Frosne mod genberegnede målinger", "Frozen against recomputed measurements"},
	{"extract_date", "Udtræk", "Extract"},
	{"frozen_estimate", "Frosset", "Frozen"},
	{"recomputed_estimate", "Genberegnet", "Recomputed"},
	{"changed", "Ændret", "Changed"},

	{"sec_progression", "Progression pr. spørgsmål", "Progression per item"},
	{"txt_progression", "Gennemsnitlig ændring i score (1–10) fra første til sidste måling pr. spørgsmål og samlet, med 95 %-interval.",
	"Mean change in score (1–10) from the first to the last measurement per item and overall, with 95% interval."},
	{"item", "Spørgsmål", "Item"},
	{"overall", "Samlet", "Overall"},
	{"mean_first", "Første", "First"},
	{"mean_last", "Sidste", "Last"},
	{"change", "Ændring", "Change"},

	{"sec_effects", "Effekt af mentor pr. kommune", "Effect of mentoring per municipality"},
	{"txt_effects", "Difference-in-differences pr. kommune (selvforsørgelsesandel 52 uger før og efter start) og samlet (pooled), med 95 %-interval.",
	"Difference-in-differences per municipality (self-sufficiency share 52 weeks before and after the start) and pooled, with 95% interval."},
	{"pooled", "Samlet", "Pooled"},
	{"std_error", "Std.fejl", "Std. error"},
	{"n_treated", "Med mentor", "Mentored"},
	{"n_control", "Kontrol", "Control"},

	{"sec_payout", "Udbetalingsplan for kommunens kontrakt", "Payout schedule of the municipality's contract"},
	{"txt_payout", "Udbetalinger pr. periode efter kontraktens regler (tabellen contract i skemaet), ud fra forløbenes opnåede resultater.",
	"Payments per period under the contract's rules (table contract in the schema), from the outcomes the courses achieved."},
	{"no_contract", "Ingen kontrakt er gemt i tabellen contract.", "No contract is stored in the table contract."},
	{"period", "Periode", "Period"},
	{"pay_day", "Betalingsdag", "Pay day"},
	{"component", "Komponent", "Component"},
	{"outcomes", "Resultater", "Outcomes"},
	{"amount_due", "Til betaling", "Amount due"},
	{"cumulative_due", "Akkumuleret", "Cumulative"},
	{"capped", "Loft", "Capped"},
	{"note", "Note", "Note"},
	{"amount", "Beløb", "Amount"},
	{"contract", "Kontrakt", "Contract"},
};

const char *
L(const Report *r, const char *key)
{
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i].key, key) == 0)
			return r->da ? labels[i].da : labels[i].en;
	return key;
}
