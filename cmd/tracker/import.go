package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/improvementtracker/tracker/models"
)

// importFeedbackCommand is `tracker import feedback [--create-missing] FILE.csv`: it
// prints what was created, skipped and rejected (with line and reason), and fails only
// when the file cannot be read at all.
func importFeedbackCommand(fs *flag.FlagSet) func(context.Context, env) error {
	createMissing := fs.Bool("create-missing", false, "create unknown channels, touchpoints and branches instead of rejecting their rows")
	return func(ctx context.Context, e env) error {
		if len(e.args) != 1 {
			return fmt.Errorf("%w: import feedback needs one FILE.csv", errUsage)
		}
		// A fresh database gets the default channels first, as serve and migrate do,
		// so that "survey" or "phone" are known.
		if err := e.store.SeedReference(ctx); err != nil {
			return err
		}
		f, err := os.Open(e.args[0])
		if err != nil {
			return fmt.Errorf("read %s: %w", e.args[0], err)
		}
		defer f.Close()
		start := time.Now()
		res, err := e.store.ImportFeedback(ctx, f, models.ImportOptions{CreateMissing: *createMissing})
		if errors.Is(err, models.ErrBadFile) {
			return fmt.Errorf("%s: %w", e.args[0], err)
		}
		if err != nil {
			return err
		}
		for _, r := range res.Rejected {
			fmt.Fprintf(e.stdout, "line %d: %s\n", r.Line, r.Reason)
		}
		fmt.Fprintf(e.stdout, "created %d, skipped %d (already imported), rejected %d in %s\n",
			res.Created, res.Skipped, len(res.Rejected), time.Since(start).Round(time.Millisecond))
		return nil
	}
}
