package app

import (
	"errors"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
)

// validate checks form structs by their `validate` tags; field names come from their
// `form` tags so each message lands beside the right control.
var validate = func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("form"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	return v
}()

// messageFor maps a failed validator tag onto a catalog message id ("validation.<id>").
func messageFor(tag string) string {
	switch tag {
	case "required", "required_without", "required_if":
		return "required"
	case "email":
		return "invalid_email"
	case "min", "max", "gte", "lte", "len":
		return "out_of_range"
	case "oneof":
		return "invalid_choice"
	case "datetime":
		return "invalid_date"
	}
	return "invalid"
}

// checkForm validates a form struct and returns field -> message id, or nil.
func checkForm(form any) components.Errors {
	err := validate.Struct(form)
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return nil
	}
	out := components.Errors{}
	for _, fe := range verrs {
		if _, seen := out[fe.Field()]; !seen {
			out[fe.Field()] = messageFor(fe.Tag())
			// A text over its maximum is "too long", so the message can name the
			// limit in characters rather than call the value out of range.
			if fe.Kind() == reflect.String && (fe.Tag() == "max" || fe.Tag() == "lte") {
				out[fe.Field()] = "too_long"
			}
		}
	}
	return out
}

// merge adds the domain's field problems to the form's.
func merge(errs components.Errors, err error) (components.Errors, bool) {
	var ve *models.ValidationError
	if !errors.As(err, &ve) {
		return errs, false
	}
	if errs == nil {
		errs = components.Errors{}
	}
	for k, v := range ve.Fields {
		errs[k] = v
	}
	return errs, true
}
