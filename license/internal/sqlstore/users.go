package sqlstore

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"securemedia/license"
)

const userColumns = `id, name, cert_sha256, disabled, added_ns`

func scanUser(r scanner) (license.User, error) {
	var (
		u        license.User
		cert     []byte
		disabled int64
		added    int64
	)
	if err := r.Scan(&u.ID, &u.Name, &cert, &disabled, &added); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return license.User{}, license.ErrUnknownUser
		}
		return license.User{}, err
	}
	if len(cert) != len(u.CertSHA256) {
		return license.User{}, fmt.Errorf("user %s: certificate hash of %d bytes", u.ID, len(cert))
	}
	copy(u.CertSHA256[:], cert)
	u.Disabled = disabled != 0
	u.Added = license.FromUnixNano(added)
	return u, nil
}

// AddUser registers a user.
func (s *Store) AddUser(ctx context.Context, u license.User) error {
	if err := license.CheckID("user id", u.ID); err != nil {
		return err
	}
	if err := license.CheckText("user name", u.Name); err != nil {
		return err
	}
	err := s.write(ctx, func(ctx context.Context, w *writeTx) error {
		_, err := scanUser(w.row(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, u.ID))
		if err == nil {
			return license.ErrUserExists
		}
		if !errors.Is(err, license.ErrUnknownUser) {
			return err
		}
		disabled := 0
		if u.Disabled {
			disabled = 1
		}
		if _, err := w.exec(ctx, `INSERT INTO users (`+userColumns+`) VALUES (?, ?, ?, ?, ?)`,
			u.ID, u.Name, u.CertSHA256[:], disabled, license.UnixNano(u.Added)); err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
		_, err = w.appendEvent(ctx, license.Event{Time: u.Added, Kind: license.EventUserAdd, UserID: u.ID,
			Detail: fmt.Sprintf("name %q certificate sha256 %s", u.Name, hex.EncodeToString(u.CertSHA256[:]))})
		return err
	})
	return s.wrap("add user", err)
}

// GetUser returns a registered user.
func (s *Store) GetUser(ctx context.Context, id string) (license.User, error) {
	if err := license.CheckID("user id", id); err != nil {
		return license.User{}, err
	}
	u, err := scanUser(s.onDB().row(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	return u, s.wrap("get user", err)
}

// ListUsers returns every user ordered by ID.
func (s *Store) ListUsers(ctx context.Context) ([]license.User, error) {
	return queryAll(ctx, s.onDB(), "list users", `SELECT `+userColumns+` FROM users ORDER BY id`, nil, scanUser)
}

// SetUserDisabled disables or re-enables a user.
func (s *Store) SetUserDisabled(ctx context.Context, id string, disabled bool, now time.Time) error {
	if err := license.CheckID("user id", id); err != nil {
		return err
	}
	flag, kind := 0, license.EventUserEnable
	if disabled {
		flag, kind = 1, license.EventUserDisable
	}
	err := s.write(ctx, func(ctx context.Context, w *writeTx) error {
		res, err := w.exec(ctx, `UPDATE users SET disabled = ? WHERE id = ?`, flag, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return license.ErrUnknownUser
		}
		_, err = w.appendEvent(ctx, license.Event{Time: now, Kind: kind, UserID: id})
		return err
	})
	return s.wrap("set user disabled", err)
}
