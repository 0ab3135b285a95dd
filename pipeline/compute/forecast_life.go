package compute

// The life table of the forecast (forecast.go): how quickly a target's cases are decided, by
// age, learned from the cases open in the last year (Kaplan-Meier).

import "math"

// lifeTable is, for each age in days from 0, the chance that a case is still open after it
// (its elapsed days are more than the age), learned from the cases of the last year: at each
// age, of the cases watched and still open at it, the share decided at it (Kaplan-Meier).
// Beyond its last age nothing more is known: no case is expected to be decided.
type lifeTable struct {
	open []float64 // by age
	// cases is the number of cases the table rests on, as many equally weighted ones as its
	// weighted ones are worth (for the uncertainty of what it says).
	cases float64
}

// minLifeDecisions is the fewest decisions a life table is learned from.
const minLifeDecisions = 20

// olderWeight is how much a case watched only before the last 91 days of the year counts:
// the life table leans on the last quarter, to follow a change in speed, without resting on
// it alone. (Chosen by backtest among 0, 0.25, 0.5 and 1: the only one better than both naive
// forecasts on every synthetic year and on the demo; README.)
const olderWeight = 0.5

func newLifeTable(year, recent []lifeAge) (lifeTable, bool) {
	var decisions int64
	for _, r := range year {
		decisions += r.Decided
	}
	if decisions < minLifeDecisions {
		return lifeTable{}, false
	}
	// The year's table weighs olderWeight, the last 91 days' the rest: a case watched in the
	// last 91 days counts fully, one watched only in the 274 days before them half.
	l := lifeTable{open: kaplanMeier([][]lifeAge{year, recent}, []float64{olderWeight, 1 - olderWeight}),
		cases: weightedCases(year, recent, olderWeight)}
	return l, true
}

// kaplanMeier is the chance, by age, that a case is still open after it, from life tables
// whose counts are weighted: at each age, of the (weighted) cases watched and still open at
// it, the share decided at it; chained from age 0.
func kaplanMeier(tables [][]lifeAge, weights []float64) []float64 {
	entered, decided, left := map[int64]float64{}, map[int64]float64{}, map[int64]float64{}
	last := int64(0)
	for i, rows := range tables {
		for _, r := range rows {
			entered[r.Age] += weights[i] * float64(r.Entered)
			decided[r.Age] += weights[i] * float64(r.Decided)
			left[r.Age] += weights[i] * float64(r.Left)
			last = max(last, r.Age)
		}
	}
	s := make([]float64, last+1)
	atRisk, open := 0.0, 1.0
	for age := range s {
		a := int64(age)
		atRisk += entered[a]
		if atRisk > 1e-9 {
			open *= 1 - decided[a]/atRisk
		}
		s[age] = open
		atRisk -= decided[a] + left[a]
	}
	return s
}

// weightedCases is the effective number of cases of the two tables weighted: a case of the
// last 91 days weighs 1, an older one of the year w; so many weigh as much as (sum w)^2 /
// sum w^2 equal ones.
func weightedCases(year, recent []lifeAge, w float64) float64 {
	var all, last float64
	for _, r := range year {
		all += float64(r.Entered)
	}
	for _, r := range recent {
		last += float64(r.Entered)
	}
	older := math.Max(all-last, 0)
	sum, sumSq := last+w*older, last+w*w*older
	if sumSq <= 0 {
		return 0
	}
	return sum * sum / sumSq
}

// openAfter is the chance that a case is still open after age days.
func (l lifeTable) openAfter(age int) float64 {
	switch {
	case age < 0:
		return 1
	case age >= len(l.open):
		return l.open[len(l.open)-1]
	}
	return l.open[age]
}

// backlogOdds are the chances that a case open at age is decided within the days left, and
// decided within target. A case older than any the table saw open is not expected to be.
func (l lifeTable) backlogOdds(age, target, days int) (decided, within float64) {
	now := l.openAfter(age)
	if now <= 0 {
		return 0, 0
	}
	decided = 1 - l.openAfter(age+days)/now
	if age < target {
		within = 1 - l.openAfter(min(target, age+days))/now
	}
	return decided, within
}

// newCaseRate is the in-target chance of a case submitted after Date and decided by the
// year's end, submissions spread evenly over the days left: a case submitted with h days left
// is decided this year with the chance 1 - open(h), within target with 1 - open(min(target, h)).
func (l lifeTable) newCaseRate(target, days int) (float64, bool) {
	var decided, within float64
	for h := range days {
		decided += 1 - l.openAfter(h)
		within += 1 - l.openAfter(min(target, h))
	}
	if decided <= 0 {
		return 0, false
	}
	return within / decided, true
}
