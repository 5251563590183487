package store

import (
	"context"
	"strings"

	"github.com/improvementtracker/tracker/models"
)

// TransitionInput validates a request and looks up its owner (an active user) and
// functional area (an active one), so the page, the API and the meeting refuse the
// same things with the same field names. Problems come back as a *ValidationError.
func (s *Store) TransitionInput(ctx context.Context, r models.TransitionRequest) (models.TransitionInput, error) {
	in, verr := r.Validate()
	f := map[string]string{}
	if verr != nil {
		f = verr.Fields
	}
	if in.To == models.StatusApproved {
		if in.OwnerID != nil {
			if u, err := s.UserByID(ctx, *in.OwnerID); err != nil || !u.Active {
				f["owner"], in.OwnerID = "invalid_choice", nil
			}
		} else if email := strings.TrimSpace(r.OwnerEmail); email != "" {
			if u, err := s.UserByEmail(ctx, email); err != nil || !u.Active {
				f["owner"] = "unknown_user"
			} else {
				in.OwnerID = &u.ID
			}
		}
		if in.FunctionalAreaID != nil {
			if it, err := s.RefByID(ctx, models.RefFunctionalAreas, *in.FunctionalAreaID); err != nil || !it.Active {
				f["functional_area"], in.FunctionalAreaID = "invalid_choice", nil
			}
		} else if code := strings.TrimSpace(r.Area); code != "" {
			if it, err := s.ResolveRef(ctx, models.RefFunctionalAreas, code); err != nil || !it.Active {
				f["functional_area"] = "unknown_functional_area"
			} else {
				in.FunctionalAreaID = &it.ID
			}
		}
	}
	if len(f) > 0 {
		return in, &models.ValidationError{Fields: f}
	}
	return in, nil
}
