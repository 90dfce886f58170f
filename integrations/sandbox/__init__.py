"""Stateful fakes of the Trello and Asana REST APIs, for tests and the demo."""
