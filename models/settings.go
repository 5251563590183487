package models

// Setting keys.
const (
	SettingRoutingThreshold = "routing_threshold"
	SettingRetentionDays    = "retention_days"
)
