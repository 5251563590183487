package app

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/pages/feedback"
)

// feedbackImportForm shows the upload form of a survey export.
func (s *Server) feedbackImportForm(c echo.Context) error {
	return render(c, http.StatusOK, feedback.Import(feedback.ImportPage{Page: s.page(c, "import.title", "feedback"),
		MayCreateMissing: currentUser(c).Has(models.RoleAdmin)}))
}

// feedbackImport imports an uploaded CSV file and shows what it did, line by line for
// the rows it rejected. The file is read as a stream; its good rows are stored even
// when others are bad.
func (s *Server) feedbackImport(c echo.Context) error {
	ctx := c.Request().Context()
	m := feedback.ImportPage{Page: s.page(c, "import.title", "feedback"), CreateMissing: c.FormValue("create_missing") == "true",
		MayCreateMissing: currentUser(c).Has(models.RoleAdmin)}
	fh, err := c.FormFile("file")
	if err != nil {
		m.Error = "import.no_file"
		return render(c, http.StatusBadRequest, feedback.Import(m))
	}
	file, err := fh.Open()
	if err != nil {
		return err
	}
	defer file.Close()
	res, err := s.store.ImportFeedback(ctx, file, models.ImportOptions{CreateMissing: m.CreateMissing, By: currentUser(c)})
	if errors.Is(err, models.ErrBadFile) {
		m.Error = "import.bad_file"
		return render(c, http.StatusBadRequest, feedback.Import(m))
	}
	if err != nil {
		return err
	}
	m.Result, m.FileName = res, fh.Filename
	return render(c, http.StatusOK, feedback.Import(m))
}
