// Command tracker runs Improvement Tracker: the web server and its operator commands.
// This file only wires: parse the command, load configuration, open the database, run.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/improvementtracker/tracker/models/store"

	"github.com/improvementtracker/tracker/app"
)

// errUsage marks bad usage, which exits with status 2.
var errUsage = errors.New("bad usage")

func main() {
	log := app.NewLogger(os.Stderr, os.Getenv("LOG_FORMAT"))
	slog.SetDefault(log)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, log)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, errUsage), errors.Is(err, flag.ErrHelp):
		fmt.Fprintln(os.Stderr, "tracker:", err)
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "tracker:", err)
		os.Exit(1)
	}
}

const usage = `usage: tracker [command] [flags]

commands:
  serve                     run the web server (the default)
  migrate                   apply pending migrations and exit
  user add --email E --name N --role R[,R...] [--lang en|da|nb]   (password on stdin)
  token create --email E [--name LABEL] [--expires 90d]
  token list --email E      one line per token: id, label, created, last used, expires
  token revoke ID
  import feedback [--create-missing] FILE.csv
  demo                      fill an empty database with demo data
  backup FILE               write a consistent copy of the database
`

// env is what a command runs with.
type env struct {
	cfg    app.Config
	store  *store.Store
	args   []string
	stdin  io.Reader
	stdout io.Writer
	log    *slog.Logger
}

// command registers its own flags and returns what to run once they are parsed.
type command func(fs *flag.FlagSet) func(context.Context, env) error

// commands maps "command subcommand" to its implementation.
var commands = map[string]command{
	"serve":        serveCommand,
	"migrate":      migrateCommand,
	"user add":     userAddCommand,
	"token create": tokenCreateCommand,
	"token list":   tokenListCommand,
	"token revoke": tokenRevokeCommand,
	"backup":       backupCommand,
	// Demo data for newcomers.
	"demo": demoCommand,
	// Feedback import (contracts.md).
	"import feedback": importFeedbackCommand,
}

// run picks the command, parses its flags over the environment, opens the database
// (which applies pending migrations) and runs the command.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer, log *slog.Logger) error {
	name := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		name, args = args[0], args[1:]
		if _, ok := commands[name]; !ok && len(args) > 0 {
			name, args = name+" "+args[0], args[1:]
		}
	}
	cmd, ok := commands[name]
	if !ok {
		return fmt.Errorf("%w: unknown command %q", errUsage, name)
	}
	cfg, err := app.ConfigFromEnv(getenv)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	fs := flag.NewFlagSet("tracker "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg.RegisterFlags(fs)
	runCmd := cmd(fs)
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if err := cfg.Check(); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, store.Options{Location: cfg.Location(), SlowQuery: cfg.SlowQuery,
		OthersLag: cfg.FiguresLag})
	if err != nil {
		return err
	}
	defer st.Close()
	return runCmd(ctx, env{cfg: cfg, store: st, args: fs.Args(), stdin: stdin, stdout: stdout, log: log})
}
