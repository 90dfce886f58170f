"""The local web app: the VA's inbox, clients and contracts, connections, reports and status."""
