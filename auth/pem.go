package auth

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
)

// loadPublicKey reads the first PEM block of path that holds a public key: PKIX
// ("PUBLIC KEY"), PKCS #1 ("RSA PUBLIC KEY") or a certificate. Private keys are refused so
// that a misplaced secret is noticed rather than silently used.
func loadPublicKey(path string) (any, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("auth: JWT_PUBLIC_KEY_FILE: %w", err)
	}

	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return nil, errors.New("auth: JWT_PUBLIC_KEY_FILE: no PEM public key or certificate")
		}
		key, err := parsePEMBlock(block)
		if err != nil {
			return nil, fmt.Errorf("auth: JWT_PUBLIC_KEY_FILE: %w", err)
		}
		if key != nil {
			return key, nil
		}
	}
}

// parsePEMBlock returns the public key in block, nil for a block of another kind, or an
// error for a block that cannot be used.
func parsePEMBlock(block *pem.Block) (any, error) {
	var key any
	var err error
	switch block.Type {
	case "PUBLIC KEY":
		key, err = x509.ParsePKIXPublicKey(block.Bytes)
	case "RSA PUBLIC KEY":
		key, err = x509.ParsePKCS1PublicKey(block.Bytes)
	case "CERTIFICATE":
		var cert *x509.Certificate
		cert, err = x509.ParseCertificate(block.Bytes)
		if err == nil {
			key = cert.PublicKey
		}
	case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY":
		return nil, errors.New("file holds a private key; give the public key")
	default:
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", block.Type, err)
	}

	switch key.(type) {
	case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
		return key, nil
	default:
		return nil, fmt.Errorf("unsupported public key type %T", key)
	}
}
