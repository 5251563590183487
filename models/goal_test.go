package models

import (
	"math"
	"testing"
	"time"
)

// goalDate is midnight on a date in UTC.
func goalDate(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// goalClose compares floats computed by division.
func goalClose(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestDaysInYear(t *testing.T) {
	tests := []struct{ year, want int }{{2025, 365}, {2026, 365}, {2024, 366}, {2000, 366}, {1900, 365}}
	for _, tt := range tests {
		if got := DaysInYear(tt.year); got != tt.want {
			t.Errorf("DaysInYear(%d) = %d, want %d", tt.year, got, tt.want)
		}
	}
}

func TestDaysElapsed(t *testing.T) {
	cph := time.FixedZone("CET", 3600)
	tests := []struct {
		name string
		day  time.Time
		want int
	}{
		{"1 January", goalDate(2026, time.January, 1), 1},
		{"1 July", goalDate(2026, time.July, 1), 182},
		{"31 December", goalDate(2026, time.December, 31), 365},
		{"29 February", goalDate(2024, time.February, 29), 60},
		{"31 December, leap year", goalDate(2024, time.December, 31), 366},
		{"own location", time.Date(2026, time.January, 1, 0, 30, 0, 0, cph), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DaysElapsed(tt.day); got != tt.want {
				t.Errorf("DaysElapsed(%v) = %d, want %d", tt.day, got, tt.want)
			}
		})
	}
}

func TestPaceAndForecast(t *testing.T) {
	tests := []struct {
		name         string
		day          time.Time
		progress     int
		wantPace     float64
		wantForecast float64
	}{
		{"1 January", goalDate(2026, time.January, 1), 1, 50.0 / 365, 365},
		{"1 July", goalDate(2026, time.July, 1), 25, 50.0 * 182 / 365, 25.0 / 182 * 365},
		{"31 December", goalDate(2026, time.December, 31), 48, 50, 48},
		{"29 February", goalDate(2024, time.February, 29), 12, 50.0 * 60 / 366, 12.0 / 60 * 366},
		{"31 December, leap year", goalDate(2024, time.December, 31), 51, 50, 51},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Pace(DefaultGoalTarget, tt.day); !goalClose(got, tt.wantPace) {
				t.Errorf("Pace = %v, want %v", got, tt.wantPace)
			}
			if got := Forecast(tt.progress, tt.day); !goalClose(got, tt.wantForecast) {
				t.Errorf("Forecast = %v, want %v", got, tt.wantForecast)
			}
		})
	}
}

func TestGoalProgress(t *testing.T) {
	tests := []struct {
		name         string
		year         int
		implemented  int
		today        time.Time
		wantExpected float64
		wantForecast float64
		wantAheadBy  int
	}{
		{"this year, behind", 2026, 20, goalDate(2026, time.July, 1), 50.0 * 182 / 365, 20.0 / 182 * 365, -5},
		{"this year, ahead", 2026, 3, goalDate(2026, time.January, 1), 50.0 / 365, 3 * 365, 3},
		{"leap year end", 2024, 51, goalDate(2024, time.December, 31), 50, 51, 1},
		{"past year", 2025, 47, goalDate(2026, time.March, 5), 50, 47, -3},
		{"future year", 2027, 0, goalDate(2026, time.March, 5), 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := GoalProgress(tt.year, DefaultGoalTarget, tt.implemented, tt.today)
			want := GoalStatus{Year: tt.year, Target: DefaultGoalTarget, Implemented: tt.implemented,
				ExpectedByToday: tt.wantExpected, Forecast: tt.wantForecast, AheadBy: tt.wantAheadBy}
			if got.Year != want.Year || got.Target != want.Target || got.Implemented != want.Implemented ||
				!goalClose(got.ExpectedByToday, want.ExpectedByToday) || !goalClose(got.Forecast, want.Forecast) ||
				got.AheadBy != want.AheadBy {
				t.Errorf("GoalProgress = %+v, want %+v", got, want)
			}
		})
	}
}
