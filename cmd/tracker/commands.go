package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/improvementtracker/tracker/app"
	"github.com/improvementtracker/tracker/models"
)

func serveCommand(*flag.FlagSet) func(context.Context, env) error {
	return func(ctx context.Context, e env) error {
		if err := e.store.SeedReference(ctx); err != nil {
			return err
		}
		password, err := e.store.EnsureFirstAdmin(ctx)
		if err != nil {
			return err
		}
		if password != "" {
			e.log.Info("first admin created: sign in with these credentials once and change the password",
				"email", "admin@example.com", "password", password)
			fmt.Fprintf(e.stdout, "\n  First admin created.\n  E-mail:   admin@example.com\n  Password: %s\n\n", password)
		}
		srv := app.New(e.cfg, e.store, e.log)
		if e.cfg.Workers {
			srv.RunJobs(ctx)
		}
		e.log.Info("listening", "url", listenURL(e.cfg.Addr), "database", e.store.Dialect())
		fmt.Fprintf(e.stdout, "  Improvement Tracker is running at %s\n\n", listenURL(e.cfg.Addr))
		return srv.Serve(ctx)
	}
}

func listenURL(addr string) string {
	if strings.HasPrefix(addr, ":") {
		return "http://localhost" + addr
	}
	return "http://" + addr
}

func migrateCommand(*flag.FlagSet) func(context.Context, env) error {
	return func(ctx context.Context, e env) error {
		if err := e.store.SeedReference(ctx); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, "migrations applied")
		return nil
	}
}

func userAddCommand(fs *flag.FlagSet) func(context.Context, env) error {
	email := fs.String("email", "", "e-mail address (required)")
	name := fs.String("name", "", "full name (required)")
	roles := fs.String("role", "", "roles, comma separated: ambassador, quickwin, steering, admin, branch, staff")
	lang := fs.String("lang", "en", "language: en or da")
	branches := fs.String("branch", "", "with --role branch: the branches managed, codes comma separated")
	return func(ctx context.Context, e env) error {
		if *email == "" || *name == "" || *roles == "" {
			return fmt.Errorf("%w: user add needs --email, --name and --role", errUsage)
		}
		var branchIDs []int64
		for _, code := range strings.Split(*branches, ",") {
			if code = strings.TrimSpace(code); code == "" {
				continue
			}
			it, err := e.store.ResolveRef(ctx, models.RefBranches, code)
			if err != nil {
				return fmt.Errorf("user add: branch %q is not known", code)
			}
			branchIDs = append(branchIDs, it.ID)
		}
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && line == "" {
			return errors.New("read password from standard input: nothing given")
		}
		password := strings.TrimRight(line, "\r\n")
		u, err := e.store.CreateUser(ctx, models.NewUser{Email: *email, Name: *name, Password: password,
			Roles: models.SplitRoles(*roles), Lang: *lang, BranchIDs: branchIDs}, nil)
		var ve *models.ValidationError
		if errors.As(err, &ve) {
			return fmt.Errorf("user add: %s", describe(ve))
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "user %s created (id %d, roles %s)\n", u.Email, u.ID, u.Roles)
		return nil
	}
}

// describe turns field problems into one line for the terminal.
func describe(ve *models.ValidationError) string {
	var parts []string
	for f, m := range ve.Fields {
		parts = append(parts, f+": "+strings.ReplaceAll(m, "_", " "))
	}
	return strings.Join(parts, "; ")
}

func tokenCreateCommand(fs *flag.FlagSet) func(context.Context, env) error {
	email := fs.String("email", "", "the user the token acts as (required)")
	label := fs.String("name", "", "a label to recognise the token by")
	return func(ctx context.Context, e env) error {
		if *email == "" {
			return fmt.Errorf("%w: token create needs --email", errUsage)
		}
		u, err := e.store.UserByEmail(ctx, *email)
		if errors.Is(err, models.ErrNotFound) {
			return fmt.Errorf("no user with e-mail %s", *email)
		}
		if err != nil {
			return err
		}
		token, err := e.store.CreateToken(ctx, u.ID, *label)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, token)
		return nil
	}
}

func backupCommand(*flag.FlagSet) func(context.Context, env) error {
	return func(ctx context.Context, e env) error {
		if len(e.args) != 1 {
			return fmt.Errorf("%w: backup needs one FILE", errUsage)
		}
		if err := e.store.Backup(ctx, e.args[0]); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "backup written to %s\n", e.args[0])
		return nil
	}
}
