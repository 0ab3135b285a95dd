package outputs

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Danish labels and number forms for what people read: the workbook and the
// HTML report. The row-wise outputs keep machine forms.

var months = []string{"januar", "februar", "marts", "april", "maj", "juni", "juli",
	"august", "september", "oktober", "november", "december"}

// reasonLabels explain the quarantine reasons of SPEC §3 in Danish.
var reasonLabels = map[string]string{
	"bad_encoding":             "Ulæselige tegn (forkert tegnsæt)",
	"missing_case_id":          "Sagsnummer mangler",
	"missing_case_type":        "Sagstype mangler",
	"missing_submitted_at":     "Indgivelsestidspunkt mangler",
	"bad_date":                 "Ugyldig dato",
	"bad_boolean":              "Ugyldig ja/nej-værdi",
	"unknown_case_type":        "Ukendt sagstype",
	"decided_before_submitted": "Afgjort før indgivelse",
	"future_date":              "Dato efter kørselsdagen",
}

// danishDate writes a date as "30. juni 2024".
func danishDate(t time.Time) string {
	return fmt.Sprintf("%d. %s %d", t.Day(), months[t.Month()-1], t.Year())
}

// periodLabel names a period for a reader: "2024", "1. kvartal 2024",
// "januar 2024"; a period not yet over says "til dato".
func periodLabel(p string, complete bool) string {
	label := p
	year, _, _ := strings.Cut(p, "-")
	switch n := periodRank(p); periodKind(p) {
	case "quarter":
		label = fmt.Sprintf("%d. kvartal %s", n, year)
	case "month":
		label = months[n-5] + " " + year
	}
	if !complete {
		label += " (til dato)"
	}
	return label
}

// shortPeriodLabel names a period in a narrow column: "2024", "K1", "jan".
func shortPeriodLabel(p string) string {
	switch n := periodRank(p); periodKind(p) {
	case "quarter":
		return fmt.Sprintf("K%d", n)
	case "month":
		return months[n-5][:3]
	}
	return p
}

// truncPct is a share cut to one decimal, never rounded up: a share shown as
// "90,0" next to a 90 pct target must have reached it.
func truncPct(pct float64) float64 {
	return math.Floor(pct*10+1e-9) / 10
}

// ceilPct is a share raised to one decimal: the high end of an interval,
// shown so that the interval shown holds the computed one.
func ceilPct(pct float64) float64 {
	v := math.Ceil(pct*10-1e-9) / 10
	if v == 0 {
		return 0 // not -0, which would be written "-0,0"
	}
	return v
}

// pctCeilNumber is pctNumber raised instead of cut.
func pctCeilNumber(pct float64) string {
	return strings.Replace(strconv.FormatFloat(ceilPct(pct), 'f', 1, 64), ".", ",", 1)
}

// plainDecimal writes v with at most prec decimals, trailing zeros cut:
// 20 -> "20", 2.5 -> "2.5".
func plainDecimal(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// danishDecimal is plainDecimal with a decimal comma and "." between
// thousands.
func danishDecimal(v float64, prec int) string {
	whole, frac, _ := strings.Cut(plainDecimal(v, prec), ".")
	whole = groupThousands(whole)
	if frac == "" {
		return whole
	}
	return whole + "," + frac
}

// danishPct writes a share (0–100) cut to one decimal: "87,5 %".
func danishPct(pct float64) string { return pctNumber(pct) + " %" }

// pctNumber is danishPct without the sign, for a column headed "%".
func pctNumber(pct float64) string {
	return strings.Replace(strconv.FormatFloat(truncPct(pct), 'f', 1, 64), ".", ",", 1)
}

// danishInt writes a count with "." between thousands: "12.345".
func danishInt(n int64) string { return groupThousands(strconv.FormatInt(n, 10)) }

func groupThousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
