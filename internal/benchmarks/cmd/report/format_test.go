package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNumbersKeepThreeDigitsBelowAHundredAndGroupThousands(t *testing.T) {
	assert.Equal(t, "6.76", FormatNs(6.756))
	assert.Equal(t, "55.7", FormatNs(55.66))
	assert.Equal(t, "119", FormatNs(119.4))
	assert.Equal(t, "10,300,457", FormatNs(10300457))
	assert.Equal(t, "1,000", thousands(1000))
	assert.Equal(t, "999", thousands(999))
}
