"""What the notifications say, in the VA's language: what happened, then what to do."""
from __future__ import annotations

# {placeholders}: client, board, provider, detail, days, percent, used, available, period, target.
TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "scan_failed": ("ScopeKeeper cannot check {client}'s boards",
                        "The last check of {client}'s boards failed: {detail}\n\nWhat to do: if it is a network "
                        "problem it usually passes by itself; ScopeKeeper keeps trying. If it keeps happening, run "
                        "`scopekeeper status` and look at the log. You will not get this message again until the "
                        "checks work again."),
        "token_refused": ("ScopeKeeper's {provider} access was refused",
                          "{provider} refused ScopeKeeper's token (it was revoked, expired or its password changed): "
                          "no {provider} board is being checked.\n\nWhat to do: run `scopekeeper connect "
                          "{provider_id}` and follow its steps to make a new token, then put it where the old one "
                          "was. Details: {detail}"),
        "token_expiring": ("Your Trello token expires in {days} day(s)",
                           "The Trello token ScopeKeeper uses expires on {detail}. After that no Trello board is "
                           "checked.\n\nWhat to do: run `scopekeeper connect trello` and make a new token (choose "
                           "the one that never expires to stop these reminders), then replace the old one."),
        "board_gone": ("A board of {client} has disappeared",
                       "The {provider} board {board} of {client} cannot be found: it was deleted, archived, or is no "
                       "longer shared with your account. Its cards are kept for the hours.\n\nWhat to do: if the "
                       "client moved to another board, connect the new one (`scopekeeper connect {provider_id}`) and "
                       "remove {board} from the client's boards in your configuration."),
        "report_not_sent": ("The weekly report could not be sent",
                            "The weekly report ({target}) was saved in the reports folder but could not be "
                            "emailed: {detail}\n\nWhat to do: check the [smtp] settings and the password variable, "
                            "then open the saved files; the next week's report is emailed as usual."),
        "webhook_unhealthy": ("Instant updates stopped for {client}",
                              "{provider} stopped sending ScopeKeeper instant updates for the board {board} of "
                              "{client}: {detail}. ScopeKeeper still checks the board regularly, only more slowly."
                              "\n\nWhat to do: make sure ScopeKeeper's public address (public_url) can be reached "
                              "from the internet; ScopeKeeper re-creates the updates by itself once it can."),
        "budget": ("{client} has used {percent}% of their hours",
                   "{client} has used {used} of {available} hours for {period} ({percent}%).\n\nWhat to do: if "
                   "more work is coming, tell the client now how extra hours are billed, or agree on a bigger plan."),
        "test": ("ScopeKeeper test message",
                 "This is a test: ScopeKeeper can reach you here. You will hear from it here when a check fails, a "
                 "token needs renewing, a board disappears, a report cannot be sent, or a client reaches "
                 "{thresholds}% of their hours."),
    },
    "fr": {
        "scan_failed": ("ScopeKeeper n'arrive pas à vérifier les tableaux de {client}",
                        "La dernière vérification des tableaux de {client} a échoué : {detail}\n\nQue faire : s'il "
                        "s'agit d'un problème de réseau, il passe souvent tout seul ; ScopeKeeper réessaie. Si cela "
                        "continue, lancez `scopekeeper status` et regardez le journal. Vous ne recevrez plus ce "
                        "message avant que les vérifications ne refonctionnent."),
        "token_refused": ("L'accès de ScopeKeeper à {provider} a été refusé",
                          "{provider} a refusé le jeton de ScopeKeeper (révoqué, expiré ou mot de passe changé) : "
                          "plus aucun tableau {provider} n'est vérifié.\n\nQue faire : lancez `scopekeeper connect "
                          "{provider_id}` et suivez les étapes pour créer un nouveau jeton, puis mettez-le à la place "
                          "de l'ancien. Détails : {detail}"),
        "token_expiring": ("Votre jeton Trello expire dans {days} jour(s)",
                           "Le jeton Trello de ScopeKeeper expire le {detail}. Ensuite, plus aucun tableau Trello "
                           "n'est vérifié.\n\nQue faire : lancez `scopekeeper connect trello` et créez un nouveau "
                           "jeton (choisissez celui qui n'expire jamais pour ne plus recevoir ce rappel), puis "
                           "remplacez l'ancien."),
        "board_gone": ("Un tableau de {client} a disparu",
                       "Le tableau {provider} {board} de {client} est introuvable : supprimé, archivé ou plus partagé "
                       "avec votre compte. Ses cartes sont gardées pour les heures.\n\nQue faire : si le client "
                       "utilise un autre tableau, connectez-le (`scopekeeper connect {provider_id}`) et retirez "
                       "{board} des tableaux du client dans votre configuration."),
        "report_not_sent": ("Le rapport hebdomadaire n'a pas pu être envoyé",
                            "Le rapport hebdomadaire ({target}) est enregistré dans le dossier des rapports mais "
                            "n'a pas pu être envoyé : {detail}\n\nQue faire : vérifiez les réglages [smtp] et la "
                            "variable du mot de passe, puis ouvrez les fichiers enregistrés ; le rapport de la "
                            "semaine prochaine partira normalement."),
        "webhook_unhealthy": ("Les mises à jour instantanées de {client} sont arrêtées",
                              "{provider} n'envoie plus de mises à jour instantanées à ScopeKeeper pour le tableau "
                              "{board} de {client} : {detail}. ScopeKeeper vérifie toujours le tableau régulièrement, "
                              "mais moins vite.\n\nQue faire : vérifiez que l'adresse publique de ScopeKeeper "
                              "(public_url) est joignable depuis internet ; ScopeKeeper recrée les mises à jour tout "
                              "seul dès qu'il le peut."),
        "budget": ("{client} a utilisé {percent} % de ses heures",
                   "{client} a utilisé {used} heures sur {available} pour {period} ({percent} %).\n\nQue faire : si "
                   "d'autres demandes arrivent, dites dès maintenant au client comment les heures supplémentaires "
                   "sont facturées, ou convenez d'un forfait plus grand."),
        "test": ("Message de test de ScopeKeeper",
                 "Ceci est un test : ScopeKeeper peut vous joindre ici. Vous serez prévenue ici quand une "
                 "vérification échoue, qu'un jeton doit être renouvelé, qu'un tableau disparaît, qu'un rapport ne "
                 "part pas ou qu'un client atteint {thresholds} % de ses heures."),
    },
    "es": {
        "scan_failed": ("ScopeKeeper no puede revisar los tableros de {client}",
                        "La última revisión de los tableros de {client} falló: {detail}\n\nQué hacer: si es un "
                        "problema de red, suele pasar solo; ScopeKeeper sigue intentándolo. Si continúa, ejecuta "
                        "`scopekeeper status` y mira el registro. No volverás a recibir este mensaje hasta que las "
                        "revisiones funcionen de nuevo."),
        "token_refused": ("Se rechazó el acceso de ScopeKeeper a {provider}",
                          "{provider} rechazó el token de ScopeKeeper (revocado, caducado o con la contraseña "
                          "cambiada): ya no se revisa ningún tablero de {provider}.\n\nQué hacer: ejecuta "
                          "`scopekeeper connect {provider_id}` y sigue los pasos para crear un token nuevo; luego "
                          "ponlo en lugar del anterior. Detalles: {detail}"),
        "token_expiring": ("Tu token de Trello caduca en {days} día(s)",
                           "El token de Trello que usa ScopeKeeper caduca el {detail}. Después, ya no se revisa "
                           "ningún tablero de Trello.\n\nQué hacer: ejecuta `scopekeeper connect trello` y crea un "
                           "token nuevo (elige el que no caduca nunca para dejar de recibir este aviso); luego "
                           "reemplaza el anterior."),
        "board_gone": ("Un tablero de {client} ha desaparecido",
                       "No se encuentra el tablero de {provider} {board} de {client}: se eliminó, se archivó o ya no "
                       "está compartido con tu cuenta. Sus tarjetas se guardan para las horas.\n\nQué hacer: si el "
                       "cliente usa otro tablero, conéctalo (`scopekeeper connect {provider_id}`) y quita {board} de "
                       "los tableros del cliente en tu configuración."),
        "report_not_sent": ("No se pudo enviar el informe semanal",
                            "El informe semanal ({target}) se guardó en la carpeta de informes, pero no se pudo "
                            "enviar por correo: {detail}\n\nQué hacer: revisa los ajustes de [smtp] y la variable "
                            "de la contraseña, y abre los archivos guardados; el informe de la próxima semana se "
                            "enviará como siempre."),
        "webhook_unhealthy": ("Se detuvieron las actualizaciones instantáneas de {client}",
                              "{provider} dejó de enviar a ScopeKeeper actualizaciones instantáneas del tablero "
                              "{board} de {client}: {detail}. ScopeKeeper sigue revisando el tablero con "
                              "regularidad, solo que más despacio.\n\nQué hacer: comprueba que la dirección pública "
                              "de ScopeKeeper (public_url) es accesible desde internet; ScopeKeeper vuelve a crear "
                              "las actualizaciones por sí solo en cuanto puede."),
        "budget": ("{client} ha usado el {percent} % de sus horas",
                   "{client} ha usado {used} de {available} horas de {period} ({percent} %).\n\nQué hacer: si vienen "
                   "más encargos, explica ya al cliente cómo se facturan las horas extra, o acordad un plan mayor."),
        "test": ("Mensaje de prueba de ScopeKeeper",
                 "Esto es una prueba: ScopeKeeper puede avisarte aquí. Te avisará aquí cuando falle una revisión, "
                 "haya que renovar un token, desaparezca un tablero, no se pueda enviar un informe o un cliente "
                 "llegue al {thresholds} % de sus horas."),
    },
    "pl": {
        "scan_failed": ("ScopeKeeper nie może sprawdzić tablic klienta {client}",
                        "Ostatnie sprawdzenie tablic klienta {client} nie powiodło się: {detail}\n\nCo zrobić: "
                        "problem z siecią zwykle mija sam; ScopeKeeper próbuje dalej. Jeśli to się powtarza, "
                        "uruchom `scopekeeper status` i zajrzyj do dziennika. Ta wiadomość nie przyjdzie ponownie, "
                        "dopóki sprawdzanie znów nie zadziała."),
        "token_refused": ("{provider} odrzucił dostęp ScopeKeepera",
                          "{provider} odrzucił token ScopeKeepera (unieważniony, wygasły albo zmieniono hasło): "
                          "żadna tablica {provider} nie jest sprawdzana.\n\nCo zrobić: uruchom `scopekeeper connect "
                          "{provider_id}`, utwórz nowy token według wskazówek i wstaw go w miejsce starego. "
                          "Szczegóły: {detail}"),
        "token_expiring": ("Token Trello wygasa za {days} dni",
                           "Token Trello używany przez ScopeKeepera wygasa {detail}. Potem żadna tablica Trello nie "
                           "będzie sprawdzana.\n\nCo zrobić: uruchom `scopekeeper connect trello` i utwórz nowy "
                           "token (wybierz bezterminowy, aby nie dostawać tych przypomnień), a potem zastąp nim "
                           "stary."),
        "board_gone": ("Tablica klienta {client} zniknęła",
                       "Nie można znaleźć tablicy {provider} {board} klienta {client}: została usunięta, "
                       "zarchiwizowana albo nie jest już udostępniona Twojemu kontu. Jej karty zostają zachowane na "
                       "potrzeby rozliczenia godzin.\n\nCo zrobić: jeśli klient używa innej tablicy, podłącz ją "
                       "(`scopekeeper connect {provider_id}`) i usuń {board} z tablic klienta w konfiguracji."),
        "report_not_sent": ("Nie udało się wysłać raportu tygodniowego",
                            "Raport tygodniowy ({target}) zapisano w folderze raportów, ale nie udało się go wysłać "
                            "e-mailem: {detail}\n\nCo zrobić: sprawdź ustawienia [smtp] i zmienną z hasłem, a potem "
                            "otwórz zapisane pliki; raport za następny tydzień zostanie wysłany normalnie."),
        "webhook_unhealthy": ("Natychmiastowe powiadomienia dla klienta {client} przestały działać",
                              "{provider} przestał wysyłać ScopeKeeperowi natychmiastowe powiadomienia o tablicy "
                              "{board} klienta {client}: {detail}. ScopeKeeper nadal regularnie sprawdza tablicę, "
                              "tylko wolniej.\n\nCo zrobić: upewnij się, że publiczny adres ScopeKeepera "
                              "(public_url) jest dostępny z internetu; ScopeKeeper sam odtworzy powiadomienia, gdy "
                              "tylko będzie mógł."),
        "budget": ("Klient {client} wykorzystał {percent}% godzin",
                   "Klient {client} wykorzystał {used} z {available} godzin w okresie {period} ({percent}%).\n\n"
                   "Co zrobić: jeśli szykuje się więcej pracy, już teraz przypomnij klientowi, jak rozliczane są "
                   "dodatkowe godziny, albo uzgodnijcie większy pakiet."),
        "test": ("Wiadomość testowa ScopeKeepera",
                 "To jest test: ScopeKeeper może Cię tutaj powiadomić. Dostaniesz tu wiadomość, gdy sprawdzanie się "
                 "nie powiedzie, token trzeba będzie odnowić, tablica zniknie, raport nie zostanie wysłany albo "
                 "klient wykorzysta {thresholds}% godzin."),
    },
}

PROVIDERS = {"trello": "Trello", "asana": "Asana"}


def render(language: str, kind: str, **values: object) -> tuple[str, str]:
    """(title, body) of a notification in `language` (English when unknown)."""
    title, body = TEXTS.get(language, TEXTS["en"])[kind]
    provider = str(values.get("provider", ""))
    values = {"detail": "", **values, "provider": PROVIDERS.get(provider, provider), "provider_id": provider}
    return title.format(**values), body.format(**values)
