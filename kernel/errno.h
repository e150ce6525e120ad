/* SPDX-License-Identifier: MIT */
/*
 * Error codes. Recoverable errors are returned as negative values of these
 * (see docs/errors.md for the whole error ladder).
 */
#ifndef KERNEL_ERRNO_H
#define KERNEL_ERRNO_H

enum hv_err {
	HV_OK = 0,
	HV_EINVAL,    /* malformed argument or input */
	HV_ENOMEM,    /* out of frames or table slots */
	HV_ENOENT,    /* no such object */
	HV_EBUSY,     /* object in use / owned by someone else */
	HV_ERANGE,    /* value out of range */
	HV_ENODEV,    /* no such device or hardware missing */
	HV_ETIMEDOUT, /* hardware did not answer in time */
	HV_EIO,	      /* hardware reported an error */
	HV_ENOTSUP,   /* hardware or configuration cannot do it */
	HV_EEXIST,    /* object already exists */
	HV_EPERM,     /* not allowed by the isolation rules */
	HV_ERR_COUNT
};

/* Short description of a (positive or negative) error code. */
const char *hv_strerror(int err);

#endif
