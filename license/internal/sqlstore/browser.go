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

// Browser viewers (DESIGN.md §11): invites, WebAuthn credentials and
// browser devices.

const inviteColumns = `code_sha256, name, created_ns, expires_ns, used_ns, user_id`

func scanInvite(r scanner) (license.Invite, error) {
	var (
		inv                 license.Invite
		hash                []byte
		created, exp, usedT int64
	)
	if err := r.Scan(&hash, &inv.Name, &created, &exp, &usedT, &inv.UserID); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return license.Invite{}, license.ErrUnknownInvite
		}
		return license.Invite{}, err
	}
	if len(hash) != len(inv.CodeHash) {
		return license.Invite{}, fmt.Errorf("invite: code hash of %d bytes", len(hash))
	}
	copy(inv.CodeHash[:], hash)
	inv.CreatedAt, inv.ExpiresAt, inv.UsedAt = license.FromUnixNano(created), license.FromUnixNano(exp), license.FromUnixNano(usedT)
	return inv, nil
}

// CreateInvite stores an invite by its code's hash.
func (s *Store) CreateInvite(ctx context.Context, inv license.Invite) error {
	if err := license.CheckText("invite name", inv.Name); err != nil {
		return err
	}
	if !inv.ExpiresAt.After(inv.CreatedAt) {
		return fmt.Errorf("%w: an invite that expires before it is made", license.ErrInvalidInput)
	}
	err := s.write(ctx, func(ctx context.Context, w *writeTx) error {
		if _, err := w.exec(ctx, `INSERT INTO invites (`+inviteColumns+`) VALUES (?, ?, ?, ?, 0, '')`,
			inv.CodeHash[:], inv.Name, license.UnixNano(inv.CreatedAt), license.UnixNano(inv.ExpiresAt)); err != nil {
			return fmt.Errorf("insert invite: %w", err)
		}
		_, err := w.appendEvent(ctx, license.Event{Time: inv.CreatedAt, Kind: license.EventInvite,
			Detail: fmt.Sprintf("invite %s name %q expires %s", inv.Ref(), inv.Name, inv.ExpiresAt.UTC().Format(time.RFC3339))})
		return err
	})
	return s.wrap("create invite", err)
}

func (s *Store) getInvite(ctx context.Context, q querier, hash [32]byte) (license.Invite, error) {
	return scanInvite(q.row(ctx, `SELECT `+inviteColumns+` FROM invites WHERE code_sha256 = ?`+s.lock(q), hash[:]))
}

// GetInvite returns an invite by its code's hash.
func (s *Store) GetInvite(ctx context.Context, codeHash [32]byte) (license.Invite, error) {
	inv, err := s.getInvite(ctx, s.onDB(), codeHash)
	return inv, s.wrap("get invite", err)
}

// RegisterWebUser consumes an invite and registers a browser viewer, their
// credential and their device, in one transaction.
func (s *Store) RegisterWebUser(ctx context.Context, r license.WebRegistration, now time.Time) (license.User, error) {
	u := r.User
	if err := license.CheckID("user id", u.ID); err != nil {
		return license.User{}, err
	}
	if err := license.CheckText("user name", u.Name); err != nil {
		return license.User{}, err
	}
	if !u.Browser() {
		return license.User{}, fmt.Errorf("%w: a browser viewer has no certificate", license.ErrInvalidInput)
	}
	c := r.Credential
	c.UserID, c.CreatedAt = u.ID, now
	if err := c.Check(); err != nil {
		return license.User{}, err
	}
	if err := license.CheckDeviceName(r.Device); err != nil {
		return license.User{}, err
	}
	u.Added = now
	err := s.write(ctx, func(ctx context.Context, w *writeTx) error {
		inv, err := s.getInvite(ctx, w.querier, r.InviteHash)
		if err != nil {
			return err
		}
		if err := inv.Usable(now); err != nil {
			return err
		}
		if _, err := scanUser(w.row(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, u.ID)); err == nil {
			return license.ErrUserExists
		} else if !errors.Is(err, license.ErrUnknownUser) {
			return err
		}
		if _, err := s.getCredential(ctx, w.querier, c.ID); err == nil {
			return license.ErrCredentialExists
		} else if !errors.Is(err, license.ErrUnknownCredential) {
			return err
		}
		if _, err := s.getDevice(ctx, w.querier, r.Device); err == nil {
			return license.ErrDeviceExists
		} else if !errors.Is(err, license.ErrUnknownDevice) {
			return err
		}
		res, err := w.exec(ctx, `UPDATE invites SET used_ns = ?, user_id = ? WHERE code_sha256 = ? AND used_ns = 0`,
			license.UnixNano(now), u.ID, r.InviteHash[:])
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return license.ErrInviteUsed
		}
		if _, err := w.exec(ctx, `INSERT INTO users (`+userColumns+`) VALUES (?, ?, ?, 0, ?)`,
			u.ID, u.Name, u.CertSHA256[:], license.UnixNano(now)); err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
		aaguid := c.AAGUID
		if aaguid == nil {
			aaguid = []byte{}
		}
		if _, err := w.exec(ctx, `INSERT INTO webauthn_credentials (`+credentialColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)`,
			c.ID, c.UserID, c.UserHandle, c.PublicKey, int64(c.SignCount), aaguid, boolInt(c.BackupEligible), license.UnixNano(now)); err != nil {
			return fmt.Errorf("insert credential: %w", err)
		}
		if _, err := w.exec(ctx, `INSERT INTO devices (`+deviceColumns+`) VALUES (?, ?, ?, 0)`, r.Device, u.ID, license.UnixNano(now)); err != nil {
			return fmt.Errorf("insert device: %w", err)
		}
		if _, err := w.appendEvent(ctx, license.Event{Time: now, Kind: license.EventUserAdd, UserID: u.ID,
			Detail: fmt.Sprintf("name %q webauthn credential %s invite %s", u.Name, credentialRef(c.ID), inv.Ref())}); err != nil {
			return err
		}
		_, err = w.appendEvent(ctx, license.Event{Time: now, Kind: license.EventDeviceAdd, UserID: u.ID, Detail: "device " + r.Device})
		return err
	})
	if err != nil {
		return license.User{}, s.wrap("register browser viewer", err)
	}
	return u, nil
}

// credentialRef names a credential in audit details: the first 8 bytes of
// its id, in hex.
func credentialRef(id []byte) string { return hex.EncodeToString(id[:min(len(id), 8)]) }

const credentialColumns = `id, user_id, user_handle, public_key, sign_count, aaguid, backup_eligible, created_ns, last_used_ns`

func scanCredential(r scanner) (license.WebAuthnCredential, error) {
	var (
		c                   license.WebAuthnCredential
		count, be           int64
		created, lastUsed   int64
		handle, key, aaguid []byte
	)
	if err := r.Scan(&c.ID, &c.UserID, &handle, &key, &count, &aaguid, &be, &created, &lastUsed); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return license.WebAuthnCredential{}, license.ErrUnknownCredential
		}
		return license.WebAuthnCredential{}, err
	}
	if count < 0 || count > 1<<32-1 {
		return license.WebAuthnCredential{}, fmt.Errorf("credential: sign count %d", count)
	}
	c.UserHandle, c.PublicKey, c.AAGUID = handle, key, aaguid
	c.SignCount, c.BackupEligible = uint32(count), be != 0
	c.CreatedAt, c.LastUsedAt = license.FromUnixNano(created), license.FromUnixNano(lastUsed)
	return c, nil
}

func (s *Store) getCredential(ctx context.Context, q querier, id []byte) (license.WebAuthnCredential, error) {
	return scanCredential(q.row(ctx, `SELECT `+credentialColumns+` FROM webauthn_credentials WHERE id = ?`, id))
}

func checkCredentialID(id []byte) error {
	if len(id) == 0 || len(id) > license.MaxCredentialIDLen {
		return fmt.Errorf("%w: credential id of %d bytes", license.ErrInvalidInput, len(id))
	}
	return nil
}

// GetWebAuthnCredential returns a credential by id.
func (s *Store) GetWebAuthnCredential(ctx context.Context, id []byte) (license.WebAuthnCredential, error) {
	if err := checkCredentialID(id); err != nil {
		return license.WebAuthnCredential{}, err
	}
	c, err := s.getCredential(ctx, s.onDB(), id)
	return c, s.wrap("get credential", err)
}

// UseWebAuthnCredential moves a credential's counter forward, in one
// conditional update: of two logins with the same counter, one wins.
func (s *Store) UseWebAuthnCredential(ctx context.Context, id []byte, count uint32, now time.Time) error {
	if err := checkCredentialID(id); err != nil {
		return err
	}
	err := s.retry(ctx, func() error {
		res, err := s.onDB().exec(ctx, `UPDATE webauthn_credentials SET sign_count = ?, last_used_ns = ?
			WHERE id = ? AND (sign_count < ? OR (sign_count = 0 AND ? = 0))`,
			int64(count), license.UnixNano(now), id, int64(count), int64(count))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil || n == 1 {
			return err
		}
		if _, err := s.getCredential(ctx, s.onDB(), id); err != nil {
			return err
		}
		return license.ErrSignCount
	})
	return s.wrap("use credential", err)
}

const deviceColumns = `spki_sha256, user_id, created_ns, removed_ns`

func scanDevice(r scanner) (license.Device, error) {
	var (
		d                license.Device
		created, removed int64
	)
	if err := r.Scan(&d.SPKI, &d.UserID, &created, &removed); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return license.Device{}, license.ErrUnknownDevice
		}
		return license.Device{}, err
	}
	d.CreatedAt, d.RemovedAt = license.FromUnixNano(created), license.FromUnixNano(removed)
	return d, nil
}

func (s *Store) getDevice(ctx context.Context, q querier, spki string) (license.Device, error) {
	return scanDevice(q.row(ctx, `SELECT `+deviceColumns+` FROM devices WHERE spki_sha256 = ?`+s.lock(q), spki))
}

// GetDevice returns a browser device.
func (s *Store) GetDevice(ctx context.Context, spki string) (license.Device, error) {
	if err := license.CheckDeviceName(spki); err != nil {
		return license.Device{}, err
	}
	d, err := s.getDevice(ctx, s.onDB(), spki)
	return d, s.wrap("get device", err)
}

// ListDevices returns the browser devices of a user, or every user's.
func (s *Store) ListDevices(ctx context.Context, userID string) ([]license.Device, error) {
	var c conditions
	c.equal("user_id", userID)
	return queryAll(ctx, s.listing(), "list devices", `SELECT `+deviceColumns+` FROM devices`+c.clause()+` ORDER BY user_id, created_ns, spki_sha256 LIMIT ?`,
		append(c.args, license.MaxListed), scanDevice)
}

// RemoveDevice removes a browser device for good.
func (s *Store) RemoveDevice(ctx context.Context, spki string, now time.Time) (license.Device, error) {
	if err := license.CheckDeviceName(spki); err != nil {
		return license.Device{}, err
	}
	var d license.Device
	err := s.write(ctx, func(ctx context.Context, w *writeTx) error {
		var err error
		if d, err = s.getDevice(ctx, w.querier, spki); err != nil {
			return err
		}
		if !d.RemovedAt.IsZero() {
			return license.ErrDeviceRemoved
		}
		if _, err := w.exec(ctx, `UPDATE devices SET removed_ns = ? WHERE spki_sha256 = ?`, license.UnixNano(now), spki); err != nil {
			return err
		}
		d.RemovedAt = now
		_, err = w.appendEvent(ctx, license.Event{Time: now, Kind: license.EventDeviceRemove, UserID: d.UserID, Detail: "device " + spki})
		return err
	})
	return d, s.wrap("remove device", err)
}
