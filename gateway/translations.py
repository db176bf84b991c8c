"""Brazilian Portuguese for every page text; the English text is the key (tests check none is missing)."""

PT_BR: dict[str, str] = {
    # Accounts and errors
    "Log in": "Entrar", "First run": "Primeiro acesso",
    "Create the first administrator": "Criar o primeiro administrador",
    "No account exists yet. The first account administers this gateway and its tenant.":
        "Ainda não existe nenhuma conta. A primeira conta administra este gateway e seu tenant.",
    "Tenant (your team or company)": "Tenant (sua equipe ou empresa)",
    "Create administrator": "Criar administrador", "Wrong e-mail or password.": "E-mail ou senha incorretos.",
    "You are logged out.": "Você saiu da sua conta.", "Error {status}": "Erro {status}",
    "Back to the start page": "Voltar à página inicial",
    # Layout and navigation
    "Main": "Principal", "Instances": "Instâncias", "Events": "Eventos", "Settings": "Configurações",
    "Log out": "Sair", "Close": "Fechar", "Actions": "Ações", "Name": "Nome", "Server": "Servidor",
    "yes": "sim", "no": "não", "never": "nunca", "View": "Ver",
    # Instances
    "Create or import instances": "Criar ou importar instâncias", "Create": "Criar", "Import": "Importar",
    "Import every instance of": "Importar todas as instâncias de", "Delivery": "Entrega",
    "Choose a registered server.": "Escolha um servidor cadastrado.",
    "No provider server is registered yet.": "Nenhum servidor de provedor cadastrado ainda.",
    "Add one in Settings.": "Cadastre um em Configurações.", "No instances yet.": "Nenhuma instância ainda.",
    "Instance {name} created.": "Instância {name} criada.",
    "{count} instance(s) imported.": "{count} instância(s) importada(s).",
    "State": "Estado", "Phone / profile": "Telefone / perfil", "Last event": "Último evento",
    "Connect": "Conectar", "Connection": "Conexão", "Delete": "Excluir",
    "Delete {name} on the provider and here, with its events?":
        "Excluir {name} no provedor e aqui, com seus eventos?",
    "The provider differs from the chosen mode": "O provedor difere do modo escolhido",
    "QR code for {name}": "QR code de {name}",
    "Scan with WhatsApp to connect {name}.": "Escaneie com o WhatsApp para conectar {name}.",
    "Pairing code": "Código de pareamento",
    "open": "conectado", "connecting": "conectando", "close": "desconectado", "unknown": "desconhecido",
    "Webhook": "Webhook", "WebSocket": "WebSocket", "None": "Nenhuma",
    # Connection modal
    "Configure connection – {name}": "Configurar Conexão – {name}",
    "Webhook and WebSocket cannot be active at the same time. Enabling one disables the other automatically.":
        "Webhook e WebSocket não podem estar ativos ao mesmo tempo. Ativar um desativa o outro automaticamente.",
    "Receives messages via HTTP POST": "Recebe mensagens via HTTP POST",
    "Receives messages in real time via WS": "Recebe mensagens em tempo real via WS",
    "Receive media as Base64": "Receber mídias em Base64",
    "Recommended: converts media automatically": "Recomendado: converte mídias automaticamente",
    "Enabling the webhook…": "Ativando o webhook…", "Disabling the webhook…": "Desativando o webhook…",
    "Enabling the WebSocket…": "Ativando o WebSocket…", "Disabling the WebSocket…": "Desativando o WebSocket…",
    "Webhook settings": "Configurações do webhook", "URL given to the provider": "URL informada ao provedor",
    "Copy full URL": "Copiar URL completa", "Copied": "Copiado", "Copy failed": "Falha ao copiar",
    "The secret part is hidden here; the copy button puts the full URL on the clipboard.":
        "A parte secreta fica oculta aqui; o botão de copiar coloca a URL completa na área de transferência.",
    "The secret part is hidden; operators can copy the full URL.":
        "A parte secreta fica oculta; operadores podem copiar a URL completa.",
    "Webhook by events (one URL per event)": "Webhook por eventos (uma URL por evento)",
    "Select all": "Selecionar todos", "Select none": "Limpar seleção", "Applying…": "Aplicando…",
    "All": "Todos", "Clear": "Limpar", "Select all: {group}": "Selecionar todos: {group}",
    "Clear: {group}": "Limpar: {group}", "{chosen} of {total} chosen": "{chosen} de {total} escolhidos",
    "none chosen: the provider sends every event": "nenhum escolhido: o provedor envia todos os eventos",
    "Current state": "Estado atual", "Yes": "Sim", "No": "Não",
    "You can look but not change: switching needs the operator role.":
        "Você pode ver, mas não alterar: a troca exige o papel de operador.",
    "Connection, QR and logout events always reach the gateway: it needs them.":
        "Eventos de conexão, QR e logout sempre chegam ao gateway: ele precisa deles.",
    "Webhook active with Base64: {answer}": "Webhook ativo com Base64: {answer}",
    "In WebSocket mode Evolution sends media without Base64.":
        "No modo WebSocket a Evolution envia mídia sem Base64.",
    "No active connection – messages will not be received":
        "Nenhuma conexão ativa – mensagens não serão recebidas",
    "WebSocket connected": "WebSocket conectado", "WebSocket connecting…": "WebSocket conectando…",
    "WebSocket reconnecting…": "WebSocket reconectando…", "WebSocket stopped": "WebSocket parado",
    "WebSocket not started": "WebSocket não iniciado", "WebSocket failed": "Falha no WebSocket",
    "Waiting for the instance's first event (Evolution opens its socket namespace only then)":
        "Aguardando o primeiro evento da instância (a Evolution só abre o namespace do socket nesse momento)",
    "connected": "conectado", "retrying": "reconectando", "idle": "aguardando", "stopped": "parado",
    "refused": "recusado", "not started": "não iniciado",
    "Nothing changed.": "Nada mudou.",
    "Webhook enabled! WebSocket was disabled.": "Webhook ativado! WebSocket foi desativado.",
    "Webhook enabled!": "Webhook ativado!", "Webhook settings saved.": "Configurações do webhook salvas.",
    "WebSocket enabled! Webhook was disabled.": "WebSocket ativado! Webhook foi desativado.",
    "WebSocket enabled!": "WebSocket ativado!",
    "Webhook disabled!": "Webhook desativado!", "WebSocket disabled!": "WebSocket desativado!",
    # The event picker (the providers' catalogues)
    "Messages": "Mensagens", "Contacts": "Contatos", "Chats": "Conversas", "Groups": "Grupos",
    "Connection & QR": "Conexão e QR", "Calls": "Chamadas", "Labels": "Etiquetas", "Integrations": "Integrações",
    "New message received or sent": "Mensagem nova recebida ou enviada",
    "Message status changed (delivered, read)": "Status da mensagem mudou (entregue, lida)",
    "Message edited": "Mensagem editada", "Message deleted": "Mensagem apagada",
    "Message history loaded": "Histórico de mensagens carregado",
    "Message sent through the API": "Mensagem enviada pela API", "Sent message updated": "Mensagem enviada atualizada",
    "Contact added": "Contato adicionado", "Contact changed": "Contato alterado",
    "Contact list loaded": "Lista de contatos carregada", "Online, typing or recording": "Online, digitando ou gravando",
    "Chat added": "Conversa adicionada", "Chat changed": "Conversa alterada", "Chat deleted": "Conversa apagada",
    "Chat list loaded": "Lista de conversas carregada", "Group created or joined": "Grupo criado ou ingressado",
    "Group details changed": "Dados do grupo alterados",
    "Participants added, removed or promoted": "Participantes adicionados, removidos ou promovidos",
    "New QR code to scan": "Novo QR code para escanear", "Connection state changed": "Estado da conexão mudou",
    "Incoming call": "Chamada recebida", "Label created or changed": "Etiqueta criada ou alterada",
    "Label added to or removed from a chat": "Etiqueta adicionada ou removida de uma conversa",
    "Instance status changed": "Status da instância mudou", "Instance logged out": "Instância desconectada",
    "Instance removed": "Instância removida", "Instance created": "Instância criada",
    "Instance deleted": "Instância excluída", "Provider started": "Provedor iniciado",
    "Typebot session started": "Sessão do Typebot iniciada",
    "Typebot session status changed": "Status da sessão do Typebot mudou",
    "The provider refused the change: {message}": "O provedor recusou a alteração: {message}",
    "Provider error: {message}": "Erro do provedor: {message}",
    # Event monitor
    "Instance": "Instância", "All instances": "Todas as instâncias", "Event name contains": "Nome do evento contém",
    "Filter": "Filtrar", "Pause": "Pausar", "Resume": "Retomar",
    "Paused: new events are held.": "Pausado: novos eventos ficam retidos.", "Received": "Recebido",
    "Event": "Evento", "Summary": "Resumo", "Payload": "Conteúdo", "{count} events skipped": "{count} eventos pulados",
    # Settings
    "Provider servers": "Servidores de provedor", "Kind": "Tipo", "API key": "Chave de API",
    "Global events": "Eventos globais", "Global events (one socket for the whole server)":
        "Eventos globais (um socket para o servidor todo)",
    "Test connection": "Testar conexão", "No server yet.": "Nenhum servidor ainda.", "Add server": "Adicionar servidor",
    "Server {name} added.": "Servidor {name} adicionado.", "Server {name} answered.": "O servidor {name} respondeu.",
    "Users": "Usuários", "E-mail": "E-mail", "Password": "Senha", "Role": "Papel", "Add user": "Adicionar usuário",
    "User {email} added.": "Usuário {email} adicionado.",
    "admin": "administrador", "operator": "operador", "viewer": "leitor",
    "API tokens": "Tokens de API", "Token name": "Nome do token", "Create token": "Criar token",
    "last used": "último uso",
    "Copy this token now; it will not be shown again:": "Copie este token agora; ele não será mostrado de novo:",
    "New API token": "Novo token de API",
    # Settings: editing and deleting servers, health, users' roles, tokens' lifetimes
    "You are signed in as {role}: you can look at these settings, but only an administrator can change servers, users and API tokens.":
        "Você entrou como {role}: pode ver estas configurações, mas só um administrador altera servidores, usuários e tokens de API.",
    "Ask {admins}.": "Peça a {admins}.", "Only an administrator can change this.": "Só um administrador pode alterar isto.",
    "You are signed in as {role}: you can watch instances and events; an operator or an administrator changes them.":
        "Você entrou como {role}: pode acompanhar instâncias e eventos; um operador ou um administrador os altera.",
    "Health": "Saúde", "checking…": "verificando…", "up": "no ar", "key refused": "chave recusada",
    "unreachable": "inacessível", "Edit": "Editar", "Save": "Salvar", "Cancel": "Cancelar",
    "New API key (empty: keep the current one)": "Nova chave de API (vazio: manter a atual)",
    "A new URL or key is checked against the server before it is saved.":
        "Uma nova URL ou chave é verificada no servidor antes de ser salva.",
    "Delete server {name}?": "Excluir o servidor {name}?", "Server {name} saved.": "Servidor {name} salvo.",
    "Server {name} deleted.": "Servidor {name} excluído.",
    "Forgetting removes the instances and their events from this gateway only; nothing is deleted on the provider.":
        "Esquecer remove as instâncias e seus eventos só deste gateway; nada é excluído no provedor.",
    "Delete the server and forget its instances here": "Excluir o servidor e esquecer suas instâncias aqui",
    "you": "você", "You cannot remove yourself; another administrator can.":
        "Você não pode remover a si mesmo; outro administrador pode.", "Role of {email}": "Papel de {email}", "Change role": "Mudar papel", "Remove": "Remover",
    "Remove {email}? Their API tokens stop working.": "Remover {email}? Os tokens de API dessa pessoa param de funcionar.",
    "{email} is now {role}.": "{email} agora é {role}.", "User {email} removed.": "Usuário {email} removido.",
    "Copy": "Copiar", "Token": "Token", "User": "Usuário", "Created": "Criado",
    "Last used": "Último uso", "Expires": "Expira", "expired": "expirado", "in {days} days": "em {days} dias",
    "Revoke": "Revogar", "No token yet.": "Nenhum token ainda.", "Token {name} revoked.": "Token {name} revogado.",
    "Revoke the token {name}? Programs using it get 401 from now on.":
        "Revogar o token {name}? Programas que o usam recebem 401 a partir de agora.",
    # Instances: forget here only
    "Forget here": "Esquecer aqui",
    "{name} was forgotten here; nothing was deleted on the provider.":
        "{name} foi esquecida aqui; nada foi excluído no provedor.",
    "For an instance whose server is gone: nothing is called on the provider.":
        "Para uma instância cujo servidor sumiu: nada é chamado no provedor.",
    "Forget {name} here only, with its events? Nothing is deleted on the provider.":
        "Esquecer {name} só aqui, com seus eventos? Nada é excluído no provedor.",
    # Settings: refusals from servers.py, users.py and admin_input.py
    "{key} is required and must be a string.": "{key} é obrigatório e deve ser um texto.",
    "base_url must be an http:// or https:// URL with a host (and a valid port).":
        "base_url deve ser uma URL http:// ou https:// com um host (e uma porta válida).",
    "The server at {url} did not accept the key: {message}": "O servidor em {url} não aceitou a chave: {message}",
    "A server at {url} is already registered.": "Um servidor em {url} já está cadastrado.",
    "Server {name} is used by {count} instance(s) of other tenants; it cannot be deleted from here.":
        "O servidor {name} é usado por {count} instância(s) de outros tenants; não pode ser excluído daqui.",
    "Server {name} is used by {count} instance(s): {names}. Confirm to forget them here (they stay on the provider).":
        "O servidor {name} é usado por {count} instância(s): {names}. Confirme para esquecê-las aqui (elas continuam no provedor).",
    "{email} is the tenant's last administrator and cannot be demoted; make another user an administrator first.":
        "{email} é o último administrador do tenant e não pode ser rebaixado; torne outro usuário administrador antes.",
    "{email} is the tenant's last administrator and cannot be removed; make another user an administrator first.":
        "{email} é o último administrador do tenant e não pode ser removido; torne outro usuário administrador antes.",
    # Live updates across processes (the bus over Redis)
    "Live updates are degraded: events stored by other gateway processes do not reach this page. It catches up on its own once they do.":
        "Atualizações ao vivo degradadas: eventos gravados por outros processos do gateway não chegam a esta página. Ela se atualiza sozinha quando voltarem a chegar.",
    # Catch-up
    "Catch up": "Recuperar eventos",
    "Read back from the provider what delivery missed": "Buscar no provedor o que a entrega perdeu",
    "{name} caught up: {recovered} missed event(s) recovered of {read} read.":
        "{name} atualizada: {recovered} evento(s) perdido(s) recuperado(s) de {read} lido(s).",
    # Instances: filter, times, per-row actions, pairing code, QR countdown
    "Search": "Buscar", "Receives by": "Recebe por", "Any": "Qualquer",
    "just now": "agora mesmo",
    "{count} seconds ago": "há {count} segundos",
    "{count} minute ago": "há {count} minuto", "{count} minutes ago": "há {count} minutos",
    "{count} hour ago": "há {count} hora", "{count} hours ago": "há {count} horas",
    "{count} day ago": "há {count} dia", "{count} days ago": "há {count} dias",
    "Sync now": "Sincronizar agora", "Reconnect socket": "Reconectar socket", "More": "Mais",
    "Read webhook, websocket and state from the provider now":
        "Ler agora do provedor o webhook, o websocket e o estado",
    "{name} was read from the provider again.": "{name} foi lido novamente do provedor.",
    "The socket of {name} is reconnecting.": "O socket de {name} está reconectando.",
    "Disconnect number": "Desconectar número",
    "Phone number with country code": "Número de telefone com código do país",
    "Get a pairing code": "Obter código de pareamento",
    "Type the pairing code in WhatsApp on the phone of {name}.":
        "Digite o código de pareamento no WhatsApp do telefone de {name}.",
    "Type this pairing code in WhatsApp to connect {name}:":
        "Digite este código de pareamento no WhatsApp para conectar {name}:",
    "WhatsApp › Linked devices › Link with phone number instead":
        "WhatsApp › Dispositivos conectados › Conectar com número de telefone",
    "This code changes in {seconds} s.": "Este código muda em {seconds} s.",
    "This code has expired.": "Este código expirou.",
    "Codes change every {seconds} s.": "Os códigos mudam a cada {seconds} s.",
    "Refresh code": "Atualizar código",
    # Provider failures the gateway wraps, and the steps of a switch
    "The provider did not answer in time: {message}": "O provedor não respondeu a tempo: {message}",
    "The provider is unavailable: {message}": "O provedor está indisponível: {message}",
    "The provider refused the API key: {message}": "O provedor recusou a chave de API: {message}",
    "The provider does not know it: {message}": "O provedor não o conhece: {message}",
    "The provider did not keep the setting: {message}": "O provedor não manteve a configuração: {message}",
    "The provider refused the request: {message}": "O provedor recusou o pedido: {message}",
    "{step} failed: {message}": "falha ao {step}: {message}",
    "(could not undo: {steps})": "(não foi possível desfazer: {steps})",
    "enabling the webhook": "ativar o webhook", "enabling the websocket": "ativar o websocket",
    "starting the socket client": "iniciar o cliente de socket", "disabling the webhook": "desativar o webhook",
    "disabling the websocket": "desativar o websocket",
    # Event monitor: search, range, paging, export, held count, summaries
    "Text (number, message)": "Texto (número, mensagem)", "From (UTC)": "De (UTC)", "To (UTC)": "Até (UTC)",
    "{count} held": "{count} retido(s)", "Download these events:": "Baixar estes eventos:",
    "Load older events": "Carregar eventos anteriores", "No older events.": "Não há eventos anteriores.",
    "me": "eu", "pending": "pendente", "sent to the server": "enviada ao servidor", "delivered": "entregue",
    "read": "lida", "played": "reproduzida", "failed to send": "falha no envio", "deleted": "apagada",
    "New QR code": "Novo QR code", "QR code limit reached": "Limite de QR codes atingido",
    "Logged out of WhatsApp": "Desconectado do WhatsApp",
    # Password change, audit log (engineer "accounts")
    "Change password": "Trocar senha", "Current password": "Senha atual", "New password": "Nova senha",
    "New password again": "Nova senha de novo",
    "Common or simple passwords are refused; a few unrelated words make a good one.":
        "Senhas comuns ou simples são recusadas; algumas palavras sem relação entre si formam uma boa senha.",
    "The new passwords do not match.": "As novas senhas não conferem.",
    "Your password was changed. Your other sessions were logged out.":
        "Sua senha foi trocada. Suas outras sessões foram encerradas.",
    "Audit log": "Registro de auditoria", "Export as JSON": "Exportar como JSON", "When": "Quando",
    "Who": "Quem", "Change": "Mudança", "Target": "Alvo", "Before": "Antes", "After": "Depois",
    "No change recorded yet.": "Nenhuma mudança registrada ainda.",
    "Too many failed logins for this account. Try again in {seconds} seconds.":
        "Tentativas de login com falha demais para esta conta. Tente de novo em {seconds} segundos.",
    "Too many failed logins from this address. Try again in {seconds} seconds.":
        "Tentativas de login com falha demais a partir deste endereço. Tente de novo em {seconds} segundos.",
    "Too many requests for this API token. Slow down.": "Requisições demais para este token de API. Vá mais devagar.",
    "Too many requests for this tenant. Slow down.": "Requisições demais para este tenant. Vá mais devagar.",
    # WAHA
    "On WAHA a switch restarts the session (about 3 seconds).":
        "No WAHA, uma troca reinicia a sessão (cerca de 3 segundos).",
    "signed": "assinado", "Version": "Versão", "The provider says": "O provedor diz",
    "Webhook active": "Webhook ativo",
    "New message received": "Nova mensagem recebida", "Any message, sent or received": "Qualquer mensagem, enviada ou recebida",
    "Group message status changed": "Status de mensagem de grupo alterado",
    "Reaction to a message": "Reação a uma mensagem", "Message deleted for everyone": "Mensagem apagada para todos",
    "Message waiting to be decrypted": "Mensagem aguardando descriptografia", "Group left": "Saiu do grupo",
    "Group joined (old event)": "Entrou no grupo (evento antigo)", "Group left (old event)": "Saiu do grupo (evento antigo)",
    "Chat archived or unarchived": "Conversa arquivada ou desarquivada", "Poll vote": "Voto em enquete",
    "Poll vote that could not be decrypted": "Voto em enquete que não pôde ser descriptografado",
    "Answer to an event invitation": "Resposta a um convite de evento",
    "Event answer that could not be decrypted": "Resposta de evento que não pôde ser descriptografada",
    "Call accepted": "Chamada aceita", "Call rejected": "Chamada recusada", "Label deleted": "Etiqueta apagada",
    "Label added to a chat": "Etiqueta adicionada a uma conversa", "Label removed from a chat": "Etiqueta removida de uma conversa",
    "Session status changed (QR, connected, stopped)": "Status da sessão alterado (QR, conectada, parada)",
    "Engine connection state changed": "Estado da conexão do motor alterado",
    "Raw engine event (debugging)": "Evento bruto do motor (depuração)", "Polls and events": "Enquetes e eventos",
    "Session": "Sessão",
    "Each delivery is signed (HMAC-SHA512) with this instance's own key.":
        "Cada entrega é assinada (HMAC-SHA512) com a chave própria desta instância.",
    "A failed delivery is retried {attempts} times, {shape} delays starting at {delay} s.":
        "Uma entrega que falha é repetida {attempts} vezes, com intervalos {shape} a partir de {delay} s.",
    "constant": "constantes", "linear": "lineares", "exponential": "exponenciais",
    "Retry policy": "Política de novas tentativas", "Delays": "Intervalos",
    "First delay (seconds)": "Primeiro intervalo (segundos)", "Retries": "Novas tentativas",
    "Save retry policy": "Salvar política",
    "Not offered on this server: {reason}.": "Não disponível neste servidor: {reason}.",
    "Processes": "Processos", "Mode": "Modo", "several processes (Redis)": "vários processos (Redis)",
    "one process": "um processo", "Host": "Host", "Started": "Iniciado", "Last heartbeat": "Último sinal de vida",
    "Sockets held": "Sockets mantidos", "Jobs": "Tarefas", "leader": "líder",
    "Redis did not answer; the processes cannot be listed.": "O Redis não respondeu; os processos não podem ser listados.",
    # Reachability (self-check, webhooks that never came), naming rule, method not allowed
    "This gateway's address": "O endereço deste gateway",
    "providers send their webhooks here.": "os provedores enviam seus webhooks para cá.",
    "Checking that this gateway answers there…": "Verificando se este gateway responde ali…",
    "This gateway answers at PUBLIC_URL.": "Este gateway responde em PUBLIC_URL.",
    "Providers cannot reach this gateway at PUBLIC_URL: {problem}.":
        "Os provedores não alcançam este gateway em PUBLIC_URL: {problem}.",
    "Set PUBLIC_URL to an address the provider's server can reach, then restart the gateway.":
        "Defina PUBLIC_URL com um endereço que o servidor do provedor alcance e reinicie o gateway.",
    "Check again": "Verificar de novo", "Webhooks will not arrive.": "Os webhooks não vão chegar.",
    "Details in Settings": "Detalhes em Configurações",
    "Open since {time}, but no webhook has arrived.": "Conectada desde {time}, mas nenhum webhook chegou.",
    "Check that the provider's server can reach PUBLIC_URL ({url}): the self-check in Settings, and any firewall or proxy in between.":
        "Verifique se o servidor do provedor alcança PUBLIC_URL ({url}): a verificação em Configurações e "
        "qualquer firewall ou proxy no caminho.",
    "1 to {limit} letters, digits, '.', '_' or '-', starting with a letter or digit; unique on its server whatever the case":
        "De 1 a {limit} letras, dígitos, '.', '_' ou '-', começando com letra ou dígito; única no servidor, "
        "sem distinguir maiúsculas de minúsculas",
    "{method} is not allowed here; this address accepts {allowed}.":
        "{method} não é permitido aqui; este endereço aceita {allowed}.",
    # Refusals of the API and the forms (gateway/i18n.py Refusal and Message: templates, filled in once translated)
    "{field} is longer than {limit} characters.": "{field} tem mais de {limit} caracteres.",
    "'{field}' holds a character that is not allowed in a name (U+{code}, at position {position}).":
        "'{field}' contém um caractere que não é permitido em um nome (U+{code}, na posição {position}).",
    "The tenant name": "O nome do tenant", "The e-mail address": "O endereço de e-mail",
    "{key} must be true or false.": "{key} deve ser true ou false.",
    "kind must be one of {kinds}.": "kind deve ser um destes: {kinds}.",
    "kind cannot be changed: register the other server instead.":
        "kind não pode ser alterado: cadastre o outro servidor em vez disso.",
    "role must be one of {roles}.": "role deve ser um destes: {roles}.",
    "expires_in_days must be a whole number from 1 to {limit}, or null.":
        "expires_in_days deve ser um número inteiro de 1 a {limit}, ou null.",
    "password is required and must be a string.": "password é obrigatório e deve ser um texto.",
    "A tenant name is required.": "O nome do tenant é obrigatório.",
    "A valid e-mail address is required.": "É preciso um endereço de e-mail válido.",
    "A user with e-mail {email} already exists.": "Já existe um usuário com o e-mail {email}.",
    "The current password is wrong.": "A senha atual está incorreta.",
    "The password needs at least {count} characters.": "A senha precisa de pelo menos {count} caracteres.",
    "The password can have at most {count} characters.": "A senha pode ter no máximo {count} caracteres.",
    "This password is too common or too simple: {hint}. Choose a longer one, e.g. a few unrelated words.":
        "Esta senha é comum ou simples demais: {hint}. Escolha uma mais longa, por exemplo algumas palavras sem "
        "relação entre si.",
    "name must be {rule}.": "name deve seguir a regra: {rule}.",
    'An instance named "{name}" already exists.': 'Já existe uma instância chamada "{name}".',
    "mode must be one of none, webhook, websocket.": "mode deve ser um destes: none, webhook, websocket.",
    "WebSocket delivery is turned off on this gateway (WEBSOCKET_ENABLED=false).":
        "A entrega por WebSocket está desligada neste gateway (WEBSOCKET_ENABLED=false).",
    "Not on the server: {names}.": "Não estão no servidor: {names}.",
    "number must be the phone number with its country code, 8 to 15 digits (e.g. +55 11 99999-0000).":
        "number deve ser o número de telefone com o código do país, de 8 a 15 dígitos (por exemplo, +55 11 99999-0000).",
    '"{name}" is already connected.': '"{name}" já está conectada.',
    '"{name}" is already waiting for a QR scan, and a pairing code is only given when connecting starts. '
    "Disconnect the number, then ask again.":
        '"{name}" já está aguardando a leitura de um QR, e um código de pareamento só é dado quando a conexão '
        "começa. Desconecte o número e peça de novo.",
    '"{name}" is in {mode} mode; only an instance in websocket mode has a socket to reconnect.':
        '"{name}" está no modo {mode}; só uma instância no modo websocket tem um socket para reconectar.',
    '"{name}" is in {mode} mode; switch it with POST /api/instance-management/websocket/{name}.':
        '"{name}" está no modo {mode}; mude-a com POST /api/instance-management/websocket/{name}.',
    '"{name}" delivers no events (mode none): choose webhook or websocket first.':
        '"{name}" não entrega eventos (modo none): escolha webhook ou websocket antes.',
    '"{name}" was deleted meanwhile.': '"{name}" foi excluída enquanto isso.',
    "since must be an ISO 8601 time, e.g. 2026-11-23T04:22:36Z.":
        "since deve ser um horário ISO 8601, por exemplo 2026-11-23T04:22:36Z.",
    "since must not be in the future.": "since não pode estar no futuro.",
    "{name} must be an ISO 8601 time, e.g. 2026-11-23T04:22:36Z.":
        "{name} deve ser um horário ISO 8601, por exemplo 2026-11-23T04:22:36Z.",
    "{field} must be a date and time, e.g. 2026-11-23T04:22.":
        "{field} deve ser uma data e hora, por exemplo 2026-11-23T04:22.",
    "format must be jsonl or csv.": "format deve ser jsonl ou csv.",
    "{name} must be a whole number from 1 to {high}.": "{name} deve ser um número inteiro de 1 a {high}.",
    "{name} must be a whole number from 1.": "{name} deve ser um número inteiro a partir de 1.",
    "{name} must be a whole number between {low} and {high}.": "{name} deve ser um número inteiro entre {low} e {high}.",
    "{name} must be a whole number at least {low}.": "{name} deve ser um número inteiro de pelo menos {low}.",
    "No server with id {id}.": "Não há servidor com id {id}.",
    "{name!r} is not an event Evolution lets you select.": "{name!r} não é um evento que a Evolution deixa escolher.",
    "groups.update cannot be selected on Evolution (its allowed list has GROUP_UPDATE, which never matches it).":
        "groups.update não pode ser escolhido na Evolution (a lista permitida tem GROUP_UPDATE, que nunca "
        "corresponde a ele).",
    "{name!r} is not an event WAHA lets you select.": "{name!r} não é um evento que o WAHA deixa escolher.",
    "WAHA {version} does not emit {name!r}: the event came with a later version.":
        "O WAHA {version} não emite {name!r}: o evento veio com uma versão posterior.",
    "WAHA {version}'s /ws sends session.status only, so messages would be lost: use webhook delivery on this server":
        "o /ws do WAHA {version} envia só session.status, então mensagens seriam perdidas: use a entrega por "
        "webhook neste servidor",
    'retries must be an object such as {"policy": "exponential", "delaySeconds": 2, "attempts": 8}.':
        'retries deve ser um objeto como {"policy": "exponential", "delaySeconds": 2, "attempts": 8}.',
    "retries takes policy, delaySeconds and attempts only, not {fields}.":
        "retries aceita só policy, delaySeconds e attempts, não {fields}.",
    "retries.policy must be one of {shapes}.": "retries.policy deve ser um destes: {shapes}.",
    "retries.delaySeconds must be a number of seconds from 0 to {limit}.":
        "retries.delaySeconds deve ser um número de segundos de 0 a {limit}.",
    "retries.attempts must be a whole number of retries from 0 to {limit}.":
        "retries.attempts deve ser um número inteiro de novas tentativas de 0 a {limit}.",
    "WAHA {version} never retries a webhook delivery (it takes the setting and ignores it): there is no retry "
    "policy to set on this server.":
        "O WAHA {version} nunca repete uma entrega de webhook (aceita a configuração e a ignora): não há política "
        "de novas tentativas para definir neste servidor.",
    "Evolution API has no per-instance webhook retry policy: the server retries on its own (5 s doubling, "
    "10 attempts).":
        "A Evolution API não tem política de novas tentativas de webhook por instância: o servidor repete por "
        "conta própria (5 s dobrando, 10 tentativas).",
}
