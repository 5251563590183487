package models

import (
	"math"
	"time"
)

// DefaultGoalTarget is the number of improvements a year the organisation aims for until the
// admin sets another target.
const DefaultGoalTarget = 50

// DaysInYear returns 365, or 366 in a leap year.
func DaysInYear(year int) int {
	return time.Date(year, time.December, 31, 0, 0, 0, 0, time.UTC).YearDay()
}

// DaysElapsed returns the day of the year of day, counting day itself: 1 January is 1,
// 31 December is 365 or 366. It uses day's own location, so pass it in the organisation's.
func DaysElapsed(day time.Time) int {
	return day.YearDay()
}

// Pace returns how many improvements should be done by day to reach target by year end:
// target * days elapsed / days in the year.
func Pace(target int, day time.Time) float64 {
	return pace(target, DaysElapsed(day), DaysInYear(day.Year()))
}

// Forecast returns how many improvements the year will end with if the rate so far holds:
// progress / days elapsed * days in the year.
func Forecast(progress int, day time.Time) float64 {
	return forecast(progress, DaysElapsed(day), DaysInYear(day.Year()))
}

// GoalStatus is a year's goal with the figures the dashboard and the reports show.
type GoalStatus struct {
	Year, Target, Implemented int
	ExpectedByToday, Forecast float64
	// AheadBy is Implemented minus the rounded pace; negative means behind.
	AheadBy int
}

// GoalProgress measures implemented against target in year as seen on today. A past year
// counts all its days, so its pace is the whole target; a future year has no elapsed days,
// so pace and forecast are 0.
func GoalProgress(year, target, implemented int, today time.Time) GoalStatus {
	days := DaysInYear(year)
	elapsed := elapsedIn(year, today)
	expected := pace(target, elapsed, days)
	return GoalStatus{
		Year:            year,
		Target:          target,
		Implemented:     implemented,
		ExpectedByToday: expected,
		Forecast:        forecast(implemented, elapsed, days),
		AheadBy:         implemented - int(math.Round(expected)),
	}
}

// elapsedIn returns the days of year that have begun by today.
func elapsedIn(year int, today time.Time) int {
	switch {
	case today.Year() > year:
		return DaysInYear(year)
	case today.Year() < year:
		return 0
	default:
		return DaysElapsed(today)
	}
}

// pace is the share of target that the elapsed days of the year stand for.
func pace(target, elapsed, days int) float64 {
	return float64(target) * float64(elapsed) / float64(days)
}

// forecast is 0 before the year starts: there is no rate to extrapolate.
func forecast(progress, elapsed, days int) float64 {
	if elapsed == 0 {
		return 0
	}
	return float64(progress) / float64(elapsed) * float64(days)
}
