-- wrk: POST /rooms/{roomId}/members with a JSON body (bench and load tests).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name":"Ana","baseRole":"speaker","customPermissions":{"canShareScreen":true}}'
