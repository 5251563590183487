package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/improvementtracker/tracker/app"
	"github.com/improvementtracker/tracker/models"
)

func serveCommand(*flag.FlagSet) func(context.Context, env) error {
	return func(ctx context.Context, e env) error {
		tuneGC()
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
	lang := fs.String("lang", "en", "language: en, da or nb")
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
	expires := fs.String("expires", "", "lifetime, e.g. 90d, 12w, 6m or 1y (default: until revoked)")
	return func(ctx context.Context, e env) error {
		if *email == "" {
			return fmt.Errorf("%w: token create needs --email", errUsage)
		}
		var until *time.Time
		if *expires != "" {
			end, err := models.ParseTokenLifetime(time.Now(), *expires)
			if err != nil {
				return fmt.Errorf("%w: --expires: %v", errUsage, err)
			}
			until = &end
		}
		u, err := userByEmail(ctx, e, *email)
		if err != nil {
			return err
		}
		token, _, err := e.store.CreateTokenExpiring(ctx, u.ID, *label, until)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, token)
		return nil
	}
}

func userByEmail(ctx context.Context, e env, email string) (*models.User, error) {
	u, err := e.store.UserByEmail(ctx, email)
	if errors.Is(err, models.ErrNotFound) {
		return nil, fmt.Errorf("no user with e-mail %s", email)
	}
	return u, err
}

// tokenListCommand prints one line per token of a user, newest first, tab-separated:
// id, label ("-" when none), created, last used ("never"), expires ("never", or
// "revoked TIME" for a revoked token). Times are RFC 3339 in UTC.
func tokenListCommand(fs *flag.FlagSet) func(context.Context, env) error {
	email := fs.String("email", "", "the user whose tokens to list (required)")
	return func(ctx context.Context, e env) error {
		if *email == "" {
			return fmt.Errorf("%w: token list needs --email", errUsage)
		}
		u, err := userByEmail(ctx, e, *email)
		if err != nil {
			return err
		}
		tokens, err := e.store.Tokens(ctx, u.ID)
		if err != nil {
			return err
		}
		for _, t := range tokens {
			label := strings.Join(strings.Fields(t.Name), " ")
			if label == "" {
				label = "-"
			}
			expires := stamp(t.ExpiresAt)
			if t.RevokedAt != nil {
				expires = "revoked " + stamp(t.RevokedAt)
			}
			fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%s\t%s\n", t.ID, label, stamp(&t.CreatedAt), stamp(t.LastUsedAt), expires)
		}
		return nil
	}
}

func stamp(t *time.Time) string {
	if t == nil {
		return "never"
	}
	return t.UTC().Format(time.RFC3339)
}

// tokenRevokeCommand ends a token at once.
func tokenRevokeCommand(fs *flag.FlagSet) func(context.Context, env) error {
	return func(ctx context.Context, e env) error {
		if len(e.args) != 1 {
			return fmt.Errorf("%w: token revoke needs one token ID", errUsage)
		}
		id, err := strconv.ParseInt(e.args[0], 10, 64)
		if err != nil || id <= 0 {
			return fmt.Errorf("%w: token revoke: %q is not a token id", errUsage, e.args[0])
		}
		if err := e.store.RevokeToken(ctx, id, nil); errors.Is(err, models.ErrNotFound) {
			return fmt.Errorf("no token with id %d", id)
		} else if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "token %d revoked\n", id)
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
