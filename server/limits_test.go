package server_test

import "securemedia/server"

func serverLimits(max int) server.Limits { return server.Limits{MaxSessions: max} }
