package models

// FieldLimits are the largest lengths (for "too_long") and values (for "out_of_range")
// of form fields, by the field names the validation errors use, so that a refusal can
// say the limit ("at most 10,000 characters") instead of only "too long".
var FieldLimits = map[string]int{
	"comment":         MaxCommentLength,
	"note":            MaxCommentLength,
	"external_id":     200,
	"customer_name":   200,
	"title":           200,
	"subject":         MaxNotifySubject,
	"body":            MaxNotifyBody,
	"reason":          1000,
	"colleague":       MaxColleagueName,
	"goodwill_amount": MaxGoodwill,
	"target":          MaxGoalTarget,
}
