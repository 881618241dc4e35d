package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// usageError is a command line that does not parse or does not give what
// the command needs: an unknown command or flag, a flag value of the wrong
// type, a missing required flag, flags that exclude each other, or the wrong
// number of arguments. The process exits with exitUsage.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usageErrorf is a usage error with a message of its own, for the
// commands that check their flags by hand.
func usageErrorf(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// usageFailure makes a usage error of an error cobra reported for cmd,
// with the command's help as the hint.
func usageFailure(cmd *cobra.Command, err error) error {
	return withHint(&usageError{err: err}, "see `"+cmd.CommandPath()+" --help`")
}

// reportUsageErrors makes every error of the command line in the tree
// under root a usageError, which cobra does not do by itself: flag errors
// go through the flag error function, argument errors through a wrapper of
// each command's Args, and missing or conflicting flags are checked before
// the command runs. A command group called with a word that names none of
// its commands is a usage error too (cobra would print its help and
// succeed).
func reportUsageErrors(root *cobra.Command) {
	root.SetFlagErrorFunc(usageFailure)
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		switch {
		case c.HasSubCommands() && !c.Runnable():
			c.Args = unknownSubcommand
			c.SuggestionsMinimumDistance = 2
			c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
		case c.Args != nil:
			check := c.Args
			c.Args = func(cmd *cobra.Command, args []string) error {
				if err := check(cmd, args); err != nil {
					return usageFailure(cmd, err)
				}
				return nil
			}
		}
		if c.Runnable() && c.PreRunE == nil && c.PreRun == nil {
			c.PreRunE = func(cmd *cobra.Command, _ []string) error {
				if err := cmd.ValidateRequiredFlags(); err != nil {
					return usageFailure(cmd, err)
				}
				if err := cmd.ValidateFlagGroups(); err != nil {
					return usageFailure(cmd, err)
				}
				return nil
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// unknownSubcommand refuses any argument to a command group: it is not
// the name of one of its commands.
func unknownSubcommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	err := &usageError{err: fmt.Errorf("unknown command %q for %q", args[0], cmd.CommandPath())}
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		return withHint(err, "did you mean "+strings.Join(s, " or ")+"?")
	}
	return withHint(err, "see `"+cmd.CommandPath()+" --help` for its commands")
}

// isUsageError reports whether err is a usage error.
func isUsageError(err error) bool {
	var u *usageError
	return errors.As(err, &u)
}
