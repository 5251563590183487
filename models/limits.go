package models

// FieldLimits are the largest lengths (for "too_long") and values (for "out_of_range")
// of form fields, by the field names the validation errors use, so that a refusal can
// say the limit ("at most 10,000 characters") instead of only "too long".
var FieldLimits = map[string]int{
	"comment":       MaxCommentLength,
	"note":          MaxCommentLength,
	"external_id":   200,
	"customer_name": 200,
	"title":         200,
	"subject":       MaxNotifySubject,
	"body":          MaxNotifyBody,
	"reason":        1000,
	"colleague":     MaxColleagueName,
	"target":        MaxGoalTarget,
}

// MoneyLimits are the largest amounts of money fields, by field name, so that an
// "out_of_range" refusal names the limit in the reader's format ("at most
// 1.000.000 kr.").
var MoneyLimits = map[string]Money{
	"goodwill_amount":      MaxGoodwill,
	"limit":                MaxGoodwillLimit,
	"savings_estimated_kr": MaxSavings,
	"savings_realised_kr":  MaxSavings,
}
